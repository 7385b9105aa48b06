#ifndef HOOKGATE_CSQLITECEILING_H
#define HOOKGATE_CSQLITECEILING_H

/// What SQLite alone does on this machine, with no Swift, no concurrency and no group committer: one
/// thread inserts rows back to back, `batch` rows per transaction, while a second connection runs
/// PASSIVE checkpoints every 5 ms, as the store's checkpointer does. The ceiling any SQLite-backed
/// store can reach with transactions of that size.

/// Inserts delivery rows into the `delivery` table of the existing database at `path` (its schema made
/// by the store's migrations), with the store's own INSERT statement, 2 KB-like bodies of `body_size`
/// bytes and Stripe-format event ids, for `seconds` after a 0.3 s warm-up. `synchronous` is the PRAGMA
/// value ("FULL", "OFF"). Returns rows per second, or -1 on an SQLite error (printed to stderr); sets
/// `cpu_us_per_row` (unless NULL) to the process's CPU time (both threads) per row over the measured span.
double CSQLiteCeiling_delivery_rows_per_second(
    const char *path, const char *synchronous, int batch, int body_size, double seconds, double *cpu_us_per_row);

/// The same loop on a fresh database at `path` whose only table is `(id INTEGER PRIMARY KEY, body BLOB)`:
/// the least any store of `body_size`-byte bodies has to write.
double CSQLiteCeiling_body_rows_per_second(
    const char *path, const char *synchronous, int batch, int body_size, double seconds, double *cpu_us_per_row);

#endif
