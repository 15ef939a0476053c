/**
 * Simulation of paired scRNA + scATAC data from a known GRN whose regulation needs open chromatin
 * ({@link io.scgrn.models.sim.MultiomeSimulator}), with the truth written next to the data.
 */
package io.scgrn.models.sim;
