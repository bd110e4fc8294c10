/**
 * The read model (DESIGN.md): one typed, immutable view of routes, their numbers, judgements, audit
 * entries, progress and catalog, built in one place ({@link dev.strangler.control.view.ReadModel})
 * and written as JSON by one mapper ({@link dev.strangler.control.view.ViewJson}). The admin API
 * sends it, the CLI reads it back, and the dashboard's pages draw it: all three show the same numbers.
 */
package dev.strangler.control.view;
