/**
 * Reading delimited text tables (TSV, CSV, BED, GTF, whitespace-separated edge lists) through Commons CSV, with one
 * gzip rule (the magic bytes, never the file name) and one {@code unquote}. Depends on nothing else in scgrn.
 */
package io.scgrn.models.table;
