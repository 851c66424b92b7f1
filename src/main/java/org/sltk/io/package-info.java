/**
 * Files: run directories (settings, masks, reports) that can be reloaded and re-evaluated, and
 * the import and export of weights.
 *
 * @see org.sltk.io.RunDirectory
 */
package org.sltk.io;
