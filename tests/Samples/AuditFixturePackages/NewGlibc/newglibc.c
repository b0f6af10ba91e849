/* pthread_create binds to GLIBC_2.34 when linked on glibc 2.34 or newer (libpthread merged into libc). */
#include <pthread.h>
static void *run(void *argument) { return argument; }
int newglibc_start_thread(void) { pthread_t thread; return pthread_create(&thread, 0, run, 0); }
