// An LD_PRELOAD library that moves the wall clock (CLOCK_REALTIME, gettimeofday, time, timespec_get) by
// HOOKGATE_REALTIME_OFFSET seconds and leaves every other clock alone; see .ci/at-date.
//
// libfaketime also moves the timers of the monotonic clocks (timerfd), so under it a Swift program's
// Task.sleep never returns and the test suite hangs; this library only changes what the wall clock reads.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static long long offset_seconds(void) {
    static long long offset;
    static int read;
    if (!read) {
        const char *value = getenv("HOOKGATE_REALTIME_OFFSET");
        offset = value ? atoll(value) : 0;
        read = 1;
    }
    return offset;
}

int clock_gettime(clockid_t clock, struct timespec *time) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int result = real(clock, time);
    if (result == 0 && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) time->tv_sec += offset_seconds();
    return result;
}

int gettimeofday(struct timeval *restrict time, void *restrict zone) {
    static int (*real)(struct timeval *restrict, void *restrict);
    if (!real) real = (int (*)(struct timeval *restrict, void *restrict))dlsym(RTLD_NEXT, "gettimeofday");
    int result = real(time, zone);
    if (result == 0 && time) time->tv_sec += offset_seconds();
    return result;
}

time_t time(time_t *seconds) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (seconds) *seconds = now.tv_sec;
    return now.tv_sec;
}

int timespec_get(struct timespec *time, int base) {
    if (base != TIME_UTC || clock_gettime(CLOCK_REALTIME, time) != 0) return 0;
    return base;
}
