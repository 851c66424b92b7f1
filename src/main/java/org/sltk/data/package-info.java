/**
 * Real image data: a validating reader and writer for the standard IDX files of MNIST and
 * Fashion-MNIST (plain or gzipped), validating readers of CIFAR-10 (PNG sprites and binary
 * batches), per-channel normalisation, and labelled image sets exposed as DJL datasets.
 *
 * @see org.sltk.data.ImageSet
 * @see org.sltk.data.IdxFile
 * @see org.sltk.data.Cifar10
 * @see org.sltk.data.Datasets
 */
package org.sltk.data;
