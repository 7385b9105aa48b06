#include "CSQLiteCeiling.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static double process_cpu_microseconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6
        + (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

struct checkpointer {
    const char *path;
    atomic_int stop;
};

/// PASSIVE checkpoints every 5 ms on a connection of its own, with synchronous=FULL (the store's WALCheckpointer).
static void *checkpoint_loop(void *argument) {
    struct checkpointer *checkpointer = argument;
    sqlite3 *db = NULL;
    if (sqlite3_open(checkpointer->path, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
    while (!atomic_load(&checkpointer->stop)) {
        int log_frames = 0, checkpointed = 0;
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &checkpointed);
        usleep(5000);
    }
    sqlite3_close(db);
    return NULL;
}

/// Binds one row's values to `insert` (`n` makes the event id unique).
typedef void (*bind_row)(sqlite3_stmt *insert, const void *body, int body_size, unsigned long long n);

static void bind_delivery(sqlite3_stmt *insert, const void *body, int body_size, unsigned long long n) {
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char signature[] =
        "t=1764000000,v1=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    // `evt_1` + the creation second + random characters, as the Swift benchmark's ids.
    char event_id[48];
    int length = snprintf(event_id, 32, "evt_1%lx", (long)time(NULL));
    unsigned long long state = n * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
    for (int i = 0; i < 16; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        event_id[length++] = alphabet[state % 62];
    }
    event_id[length] = 0;
    sqlite3_int64 now_ms = (sqlite3_int64)time(NULL) * 1000;
    sqlite3_bind_text(insert, 1, "stripe", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, event_id, length, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 3, "payment_intent.succeeded", -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 4, now_ms);
    sqlite3_bind_int64(insert, 5, now_ms);
    (void)body;
    (void)body_size;
    sqlite3_bind_text(insert, 6, signature, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 7, "application/json", -1, SQLITE_STATIC);
    for (int column = 8; column <= 11; column++) sqlite3_bind_null(insert, column);
    sqlite3_bind_int(insert, 12, 1);
    sqlite3_bind_text(insert, 13, "pending", -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 14, now_ms);
    sqlite3_bind_int64(insert, 15, now_ms);
}

static void bind_body(sqlite3_stmt *insert, const void *body, int body_size, unsigned long long n) {
    (void)n;
    sqlite3_bind_blob(insert, 1, body, body_size, SQLITE_STATIC);
}

/// Inserts rows of `insert_sql` in transactions of `batch` rows for `seconds`; when `body_sql` is given, each
/// inserted row's body goes into a second table with it (`body_sql` binds the row's id, then the body), as the
/// store writes a delivery and its body.
static double run(
    const char *path, const char *synchronous, const char *setup, const char *insert_sql, bind_row bind,
    const char *body_sql, int batch, int body_size, double seconds, double *cpu_us_per_row) {
    sqlite3 *db = NULL;
    sqlite3_stmt *insert = NULL;
    sqlite3_stmt *insert_body = NULL;
    char *body = malloc((size_t)body_size);
    memset(body, 'x', (size_t)body_size);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %s", synchronous);
    double rate = -1;
    struct checkpointer checkpointer = {.path = path};
    pthread_t checkpoint_thread;
    int checkpointing = 0;

    if (sqlite3_open(path, &db) != SQLITE_OK) goto done;
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) goto done;
    if (sqlite3_exec(db, pragma, NULL, NULL, NULL) != SQLITE_OK) goto done;
    // The store's writer checkpoints only as a safety net; the checkpointer thread does the work.
    if (sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 32768", NULL, NULL, NULL) != SQLITE_OK) goto done;
    if (setup && sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK) goto done;
    if (sqlite3_prepare_v2(db, insert_sql, -1, &insert, NULL) != SQLITE_OK) goto done;
    if (body_sql && sqlite3_prepare_v2(db, body_sql, -1, &insert_body, NULL) != SQLITE_OK) goto done;
    checkpointing = pthread_create(&checkpoint_thread, NULL, checkpoint_loop, &checkpointer) == 0;

    unsigned long long n = 0, counted_from = 0;
    double started = monotonic_seconds(), measuring_from = started + 0.3, cpu_from = 0;
    int measuring = 0;
    while (1) {
        double now = monotonic_seconds();
        if (!measuring && now >= measuring_from) {
            measuring = 1;
            counted_from = n;
            started = now;
            cpu_from = process_cpu_microseconds();
        }
        if (measuring && now - started >= seconds) {
            rate = (double)(n - counted_from) / (now - started);
            if (cpu_us_per_row) *cpu_us_per_row = (process_cpu_microseconds() - cpu_from) / (double)(n - counted_from);
            break;
        }
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) goto done;
        for (int i = 0; i < batch; i++, n++) {
            bind(insert, body, body_size, n);
            if (sqlite3_step(insert) != SQLITE_DONE) goto done;
            sqlite3_reset(insert);
            if (insert_body && sqlite3_changes(db) == 1) {
                sqlite3_bind_int64(insert_body, 1, sqlite3_last_insert_rowid(db));
                sqlite3_bind_blob(insert_body, 2, body, body_size, SQLITE_STATIC);
                if (sqlite3_step(insert_body) != SQLITE_DONE) goto done;
                sqlite3_reset(insert_body);
            }
        }
        if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) goto done;
    }

done:
    if (rate < 0) fprintf(stderr, "CSQLiteCeiling: %s\n", db ? sqlite3_errmsg(db) : "cannot open");
    if (checkpointing) {
        atomic_store(&checkpointer.stop, 1);
        pthread_join(checkpoint_thread, NULL);
    }
    sqlite3_finalize(insert);
    sqlite3_finalize(insert_body);
    sqlite3_close(db);
    free(body);
    return rate;
}

double CSQLiteCeiling_delivery_rows_per_second(
    const char *path, const char *synchronous, int batch, int body_size, double seconds, double *cpu_us_per_row) {
    // The statements of SQLiteDeliveryStore.insert.
    static const char insert_sql[] =
        "INSERT INTO delivery (endpoint, event_id, event_type, event_created_ms, received_at_ms, "
        "signature_header, content_type, user_agent, request_id, peer_address, key_label, routed, state, "
        "next_attempt_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (endpoint, event_id) DO NOTHING";
    static const char body_sql[] = "INSERT INTO delivery_body (delivery_id, body) VALUES (?, ?)";
    return run(
        path, synchronous, NULL, insert_sql, bind_delivery, body_sql, batch, body_size, seconds, cpu_us_per_row);
}

double CSQLiteCeiling_body_rows_per_second(
    const char *path, const char *synchronous, int batch, int body_size, double seconds, double *cpu_us_per_row) {
    return run(
        path, synchronous, "CREATE TABLE body_only (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
        "INSERT INTO body_only (body) VALUES (?)", bind_body, NULL, batch, body_size, seconds,
        cpu_us_per_row);
}
