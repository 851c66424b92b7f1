/**
 * The library workflow that the command line and the notebooks share: {@link
 * org.sltk.workflow.Pruner} prunes a target into a {@link org.sltk.workflow.Ticket}, which
 * evaluates, saves, exports and reloads itself.
 *
 * <pre>{@code
 * TargetModel target = TargetModels.load(Path.of("models/lenet-300-100-mnist"));
 * Ticket t = Pruner.builder().setDensity(0.25).optEps(1e-3).optSeed(1).build().prune(target);
 * EvalReport e = t.evaluate(Datasets.load("mnist").test());
 * t.save(Path.of("runs/x"));
 * t.export(Path.of("ticket.pt"), Layout.COMPACT);
 * }</pre>
 */
package org.sltk.workflow;
