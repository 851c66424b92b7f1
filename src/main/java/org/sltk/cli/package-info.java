/**
 * The {@code sltk} command line: one picocli class per verb; commands parse flags, call the package
 * API and print results, and hold no mathematics.
 *
 * @see org.sltk.cli.Sltk
 */
package org.sltk.cli;
