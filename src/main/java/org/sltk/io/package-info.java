/**
 * Files: run directories (settings, masks, reports) that can be reloaded and re-evaluated, the
 * TorchScript export of tickets, and the import of pretrained ReLU MLP targets from TorchScript and
 * NumPy {@code .npz} files.
 *
 * <p>Why sltk writes TorchScript archives itself: DJL loads TorchScript but cannot create it (no
 * tracing or scripting API). The alternative, loading a template module of the right structure,
 * overwriting its parameters and writing it back with {@code JniUtils.writeModule}, needs one
 * template per architecture and layout, made and kept by Python, and ties the export to DJL's
 * internal {@code Pt*} classes. The archive format is small and stable (format version 3, read by
 * every libtorch since 1.x): a ZIP of stored entries holding the class source in TorchScript
 * ({@code code/__torch__.py}), the pickled module object ({@code data.pkl}, tensors as {@code
 * _rebuild_tensor_v2} with persistent storage ids), raw little-endian storages ({@code data/N}),
 * {@code constants.pkl}, {@code version} and {@code byteorder}. So {@link
 * org.sltk.io.TorchScriptWriter} writes it directly for any layout, with no Python and no template.
 * The judge is libtorch's loader: the tests load every exported file through DJL's PyTorch engine
 * (libtorch 2.7.1) and, where installed, Python's {@code torch.jit.load} (1.13), and compare
 * outputs with sltk's Java passes.
 *
 * @see org.sltk.io.RunDirectory
 * @see org.sltk.io.TicketExport
 * @see org.sltk.io.TargetModels
 */
package org.sltk.io;
