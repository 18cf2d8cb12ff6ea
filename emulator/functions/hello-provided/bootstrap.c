/*
 * Example custom runtime (provided.al2 / provided.al2023) for the emulator: a tiny C program that speaks the
 * Lambda Runtime API over plain HTTP/1.1 (one connection per request). The emulator compiles it with `cc`
 * on first use into a cache dir under the OS temp dir. Exits when the Runtime API goes away.
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static char host[256];
static char port[16];

static int connect_api(void) {
  struct addrinfo hints, *res, *rp;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host, port, &hints, &res) != 0) exit(1);
  int fd = -1;
  for (rp = res; rp; rp = rp->ai_next) {
    fd = socket(rp->ai_family, rp->ai_socktype, rp->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, rp->ai_addr, rp->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) exit(1); /* the emulator is gone: leave no orphan */
  return fd;
}

static void send_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, 0);
    if (n <= 0) exit(1);
    buf += n;
    len -= (size_t)n;
  }
}

/* Sends a request with Connection: close and reads the whole response. Caller frees. */
static char *http(const char *method, const char *path, const char *body, size_t *out_len) {
  int fd = connect_api();
  char head[1024];
  size_t blen = body ? strlen(body) : 0;
  int hl = snprintf(head, sizeof head,
                    "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
                    "Content-Length: %zu\r\n\r\n",
                    method, path, host, blen);
  send_all(fd, head, (size_t)hl);
  if (blen) send_all(fd, body, blen);
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  if (!buf) exit(1);
  for (;;) {
    if (len + 1024 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) exit(1);
    }
    ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
    if (n < 0) exit(1);
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  if (len == 0) exit(1);
  buf[len] = '\0';
  *out_len = len;
  return buf;
}

static int header_value(const char *resp, const char *name, char *out, size_t out_size) {
  size_t nlen = strlen(name);
  const char *end = strstr(resp, "\r\n\r\n");
  for (const char *p = strstr(resp, "\r\n"); p && (!end || p < end); p = strstr(p + 2, "\r\n")) {
    const char *line = p + 2;
    if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
      const char *v = line + nlen + 1;
      while (*v == ' ') v++;
      size_t i = 0;
      while (v[i] && v[i] != '\r' && i + 1 < out_size) {
        out[i] = v[i];
        i++;
      }
      out[i] = '\0';
      return 1;
    }
  }
  return 0;
}

int main(void) {
  const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
  if (!api) return 1;
  const char *colon = strrchr(api, ':');
  if (!colon) return 1;
  snprintf(host, sizeof host, "%.*s", (int)(colon - api), api);
  snprintf(port, sizeof port, "%s", colon + 1);
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (;;) {
    size_t len = 0;
    char *resp = http("GET", "/2018-06-01/runtime/invocation/next", NULL, &len);
    if (strncmp(resp, "HTTP/1.1 200", 12) != 0 && strncmp(resp, "HTTP/1.0 200", 12) != 0) return 1;
    char id[128];
    if (!header_value(resp, "Lambda-Runtime-Aws-Request-Id", id, sizeof id)) return 1;
    free(resp);
    printf("hello-provided invoked (%s)\n", id);
    char path[256];
    snprintf(path, sizeof path, "/2018-06-01/runtime/invocation/%s/response", id);
    char *ack = http("POST", path, "{\"statusCode\":200,\"body\":\"hello from a custom runtime\"}", &len);
    free(ack);
  }
}
