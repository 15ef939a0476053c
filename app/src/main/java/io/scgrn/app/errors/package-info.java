/**
 * The app module's error types, shared by the pipeline ({@code app.run}, {@code app.run.atac}), the CLI, the batch
 * runner and the server, each of which maps them to its own answer (exit code, HTTP status, failed task): a bad
 * request ({@link io.scgrn.app.errors.BadRequestException}, naming the field), an unreadable input file
 * ({@link io.scgrn.app.errors.InputFileException}, naming the file), an unavailable device, too little memory.
 * Imports nothing else in scgrn but the io-anndata exception root.
 */
package io.scgrn.app.errors;
