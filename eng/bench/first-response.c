/* Time to first response of a web server, for eng/bench/startup.sh.
 *
 *   first-response RUNS WARMUPS DIRECTORY COMMAND [ARGS...]
 *
 * Each run: picks a free port on 127.0.0.1, starts COMMAND ARGS --urls http://127.0.0.1:PORT in DIRECTORY
 * (stdin, stdout and stderr on /dev/null), polls GET /hello every 0.5 ms until a complete "200" response
 * arrives, records the time since fork, sends SIGTERM (SIGKILL after 10 s) and takes the server's peak RSS
 * from wait4. WARMUPS runs are made first and not recorded. Prints one line per recorded run:
 *   MILLISECONDS PEAK_RSS_KB
 * and exits 1, saying why on stderr, if any run fails. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char expected_body[] = "Hello from an oxidized web app!";

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void sleep_us(long us)
{
    struct timespec t = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&t, NULL);
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t length = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(s, (struct sockaddr *)&a, &length) != 0) {
        perror("first-response: free port");
        exit(1);
    }
    close(s);
    return ntohs(a.sin_port);
}

/* 1: a complete 200 response with the expected body; 0: not listening yet; -1: a wrong answer. */
static int try_request(int port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (s < 0) {
        perror("first-response: socket");
        exit(1);
    }
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s);
        return 0;
    }
    struct timeval timeout = { 30, 0 };
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    static const char request[] = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (write(s, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) {
        close(s);
        return 0;
    }
    char response[8192];
    size_t used = 0;
    int result = 0;
    for (;;) {
        ssize_t n = read(s, response + used, sizeof response - 1 - used);
        if (n <= 0) {
            break; /* reset or closed before a full answer: the server was not ready; try again */
        }
        used += (size_t)n;
        response[used] = 0;
        if (strstr(response, expected_body) != NULL) {
            result = strncmp(response, "HTTP/1.1 200", 12) == 0 ? 1 : -1;
            break;
        }
        if (used == sizeof response - 1) {
            result = -1;
            break;
        }
    }
    if (result == -1) {
        fprintf(stderr, "first-response: unexpected answer:\n%s\n", response);
    }
    close(s);
    return result;
}

/* One run: the time to the first complete response in ms; the peak RSS in KiB through *rss_kb. */
static double run_once(const char *directory, char **command, int argc, double *rss_kb)
{
    char urls[64];
    snprintf(urls, sizeof urls, "http://127.0.0.1:%d", free_port());
    int port = atoi(strrchr(urls, ':') + 1);
    char **argv = calloc((size_t)argc + 3, sizeof *argv);
    memcpy(argv, command, (size_t)argc * sizeof *argv);
    argv[argc] = "--urls";
    argv[argc + 1] = urls;

    double start = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("first-response: fork");
        exit(1);
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (chdir(directory) != 0) {
            _exit(126);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    double elapsed = -1;
    int status;
    for (;;) {
        int answer = try_request(port);
        if (answer == 1) {
            elapsed = now_ms() - start;
            break;
        }
        if (answer == -1 || waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "first-response: %s exited or answered wrongly before its first response\n", argv[0]);
            kill(pid, SIGKILL);
            exit(1);
        }
        if (now_ms() - start > 60000) {
            fprintf(stderr, "first-response: no response from %s within 60 s\n", argv[0]);
            kill(pid, SIGKILL);
            exit(1);
        }
        sleep_us(500);
    }
    kill(pid, SIGTERM);
    struct rusage usage;
    double deadline = now_ms() + 10000;
    while (wait4(pid, &status, WNOHANG, &usage) != pid) {
        if (now_ms() > deadline) {
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &usage);
            break;
        }
        sleep_us(1000);
    }
    *rss_kb = (double)usage.ru_maxrss;
    free(argv);
    return elapsed;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: first-response RUNS WARMUPS DIRECTORY COMMAND [ARGS...]\n");
        return 2;
    }
    int runs = atoi(argv[1]), warmups = atoi(argv[2]);
    if (runs < 1 || warmups < 0) {
        fprintf(stderr, "first-response: RUNS must be at least 1 and WARMUPS at least 0\n");
        return 2;
    }
    double ignored, rss;
    for (int i = 0; i < warmups; i++) {
        run_once(argv[3], argv + 4, argc - 4, &ignored);
    }
    for (int i = 0; i < runs; i++) {
        double elapsed = run_once(argv[3], argv + 4, argc - 4, &rss);
        printf("%.3f %.0f\n", elapsed, rss);
    }
    return 0;
}
