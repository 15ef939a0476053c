/**
 * {@code scgrn batch}: runs a YAML plan of datasets × models × parameter grids × seeds through the shared inference
 * pipeline with bounded parallelism, one folder and manifest per task, resumable after a crash or Ctrl-C, and writes a
 * self-contained HTML report plus summary.tsv / summary.json.
 *
 * <p>Flow: {@link io.scgrn.app.batch.PlanParser} validates the whole plan (every problem with its YAML line) into a
 * {@link io.scgrn.app.batch.BatchPlan}; {@link io.scgrn.app.batch.TaskSpec#expand} turns it into tasks with stable ids;
 * {@link io.scgrn.app.batch.BatchRunner} runs them through a {@link io.scgrn.app.batch.TaskExecutor}; and
 * {@link io.scgrn.app.batch.ReportWriter} reads the task folders back to write the report.
 */
package io.scgrn.app.batch;
