/* test-connections.c: how the server holds up against many, slow, idle and
 * careless connections, against a real server process
 *
 * The clients here speak HTTP over plain sockets, byte by byte as a
 * careless or hostile client would, so that what is tested is what the
 * server does with the connection and not what a client library hides.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/socket.h>

#include "jsw-test-util.h"

typedef struct {
  guint  status;
  char  *headers;   /* the response head, lower-cased */
  char  *body;
} RawResponse;

static void
raw_response_free (RawResponse *response)
{
  g_free (response->headers);
  g_free (response->body);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawResponse, raw_response_free)

static guint16
server_port (JswTestServer *server)
{
  const char *colon = strrchr (server->url, ':');

  return (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

/* A blocking TCP connection to the server from @source (127.0.0.1 when
 * NULL; all of 127/8 is loopback, so tests can be several clients), with a
 * receive buffer of @receive_buffer bytes (0: the default). */
static GSocket *
raw_connect_with (JswTestServer *server,
                  const char    *source,
                  int            receive_buffer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, server_port (server));

  g_assert_no_error (error);
  g_socket_set_timeout (socket, 20);
  if (receive_buffer > 0)
    {
      g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, receive_buffer, &error);
      g_assert_no_error (error);
    }
  if (source != NULL)
    {
      g_autoptr(GInetAddress) from = g_inet_address_new_from_string (source);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (from, 0);

      g_socket_bind (socket, local, FALSE, &error);
      g_assert_no_error (error);
    }
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&socket);
}

static GSocket *
raw_connect (JswTestServer *server,
             const char    *source)
{
  return raw_connect_with (server, source, 0);
}

static void
raw_send (GSocket    *socket,
          const char *text)
{
  g_autoptr(GError) error = NULL;
  gsize length = strlen (text);
  gsize sent = 0;

  while (sent < length)
    {
      gssize n = g_socket_send (socket, text + sent, length - sent, NULL, &error);

      g_assert_no_error (error);
      sent += n;
    }
}

/* Reads one response: its head, then as much body as Content-Length says
 * (or up to the end of the connection). NULL if the server closed the
 * connection without answering. */
static RawResponse *
raw_read_response (GSocket *socket)
{
  g_autoptr(GString) data = g_string_new (NULL);
  g_autoptr(RawResponse) response = g_new0 (RawResponse, 1);
  const char *end_of_head;
  const char *length_header;
  gsize head_length;
  gssize content_length = -1;
  char buffer[4096];

  while ((end_of_head = strstr (data->str, "\r\n\r\n")) == NULL)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        return NULL;
      g_string_append_len (data, buffer, n);
    }

  head_length = end_of_head - data->str + 4;
  response->headers = g_ascii_strdown (data->str, head_length);
  g_assert_true (g_str_has_prefix (response->headers, "http/1.1 "));
  response->status = (guint) g_ascii_strtoull (response->headers + strlen ("http/1.1 "), NULL, 10);
  length_header = strstr (response->headers, "\r\ncontent-length:");
  if (length_header != NULL)
    content_length = g_ascii_strtoll (length_header + strlen ("\r\ncontent-length:"), NULL, 10);

  g_string_erase (data, 0, head_length);
  while (content_length < 0 || data->len < (gsize) content_length)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        break;
      g_string_append_len (data, buffer, n);
    }
  response->body = g_strndup (data->str, data->len);
  return g_steal_pointer (&response);
}

/* A WebSocket on /v1/stream by hand, whose reading the test controls: a
 * small receive buffer, so that a client that stops reading is felt by
 * the server at once. */
static GSocket *
raw_stream_connect (JswTestServer *server,
                    const char    *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = raw_connect_with (server, NULL, 4096);
  g_autofree char *upgrade = g_strdup_printf ("GET /v1/stream HTTP/1.1\r\nHost: jobswipe.test\r\n"
                                              "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\n"
                                              "Authorization: Bearer %s\r\n\r\n", token);
  GString *head = g_string_new (NULL);
  char byte;

  raw_send (socket, upgrade);

  /* The 101 head, byte by byte: the frames that follow are the test's. */
  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      g_assert_cmpint (g_socket_receive (socket, &byte, 1, NULL, &error), ==, 1);
      g_string_append_c (head, byte);
    }
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 101 "));
  g_string_free (head, TRUE);
  return g_steal_pointer (&socket);
}

/* Sends one text frame as a client must: masked (with a zero mask, which
 * leaves the payload as it is). */
static gboolean
raw_stream_send (GSocket    *socket,
                 const char *text)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  gsize length = strlen (text);
  guint8 head[4] = { 0x81, 0, 0, 0 };
  const guint8 mask[4] = { 0, 0, 0, 0 };
  gsize sent = 0;

  g_assert_cmpuint (length, <, 65536);
  if (length < 126)
    {
      head[1] = 0x80 | length;
      g_byte_array_append (frame, head, 2);
    }
  else
    {
      head[1] = 0x80 | 126;
      head[2] = length >> 8;
      head[3] = length & 0xff;
      g_byte_array_append (frame, head, 4);
    }
  g_byte_array_append (frame, mask, 4);
  g_byte_array_append (frame, (const guint8 *) text, length);

  while (sent < frame->len)
    {
      gssize n = g_socket_send (socket, (const char *) frame->data + sent, frame->len - sent, NULL, NULL);

      if (n <= 0)
        return FALSE;
      sent += n;
    }
  return TRUE;
}

/* TRUE once the server has closed the connection (a read sees its end or
 * a reset) within @timeout_s. */
static gboolean
closed_by_server (GSocket *socket,
                  guint    timeout_s)
{
  char buffer[256];
  gssize n;

  g_socket_set_timeout (socket, timeout_s);
  do
    {
      g_autoptr(GError) error = NULL;

      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n < 0)
        return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
  while (n > 0);
  return TRUE;
}

static RawResponse *
get_healthz (JswTestServer *server,
             const char    *source)
{
  g_autoptr(GSocket) socket = raw_connect (server, source);

  raw_send (socket, "GET /healthz HTTP/1.1\r\nHost: jobswipe.test\r\n\r\n");
  return raw_read_response (socket);
}

static void
assert_healthy (JswTestServer *server,
                const char    *source)
{
  g_autoptr(RawResponse) response = get_healthz (server, source);

  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->body, ==, "{\"ok\":true}");
}

/* Waits up to @timeout_ms for the server's descriptors to drop to @count. */
static guint
wait_for_fd_count (JswTestServer *server,
                   guint          count,
                   guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * 1000;
  guint now;

  while ((now = jsw_test_server_count_fds (server)) > count && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  return now;
}

/* Issue 8: each connection a client closed after its answer stayed open on
 * the server (CLOSE-WAIT) until the descriptor limit stopped all service.
 * Like curl, the client reads its answer and closes without waiting for
 * the server to close first. */
static void
test_closed_connections_free_their_descriptors (void)
{
  g_autoptr(JswTestServer) server = jsw_test_server_start_limited (NULL, 256);
  guint baseline = jsw_test_server_count_fds (server);

  for (guint i = 0; i < 10000; i++)
    {
      g_autoptr(RawResponse) response = get_healthz (server, NULL);

      if (response == NULL || response->status != 200)
        g_error ("request %u of 10000 was not answered", i + 1);
    }

  g_assert_cmpuint (wait_for_fd_count (server, baseline, 5000), ==, baseline);
  assert_healthy (server, NULL);
}

/* One request per connection, and the client is told so. */
static void
test_one_request_per_connection (void)
{
  g_autoptr(JswTestServer) server = jsw_test_server_start (NULL);
  g_autoptr(GSocket) socket = raw_connect (server, NULL);
  g_autoptr(RawResponse) response = NULL;

  raw_send (socket, "GET /healthz HTTP/1.1\r\nHost: jobswipe.test\r\n\r\n");
  response = raw_read_response (socket);
  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_nonnull (strstr (response->headers, "\r\nconnection: close\r\n"));
  g_assert_true (closed_by_server (socket, 5));
}

/* When accepting keeps failing (here: every descriptor is taken), the
 * server says so and exits with an error, so that systemd restarts it,
 * instead of living on without serving anyone. */
static void
test_exits_when_accepting_keeps_failing (void)
{
  const char *const args[] = { "--header-timeout", "0", "--max-connections", "1000", NULL };
  g_autoptr(JswTestServer) server = jsw_test_server_start_limited (args, 64);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = g_strdup_printf ("prlimit --pid %d --nofile=24:24", (int) jsw_test_server_pid (server));
  int wait_status = 0;
  guint free_fds;

  /* The connection cap leaves room for every descriptor the server held
   * when it started; what can still run out is a limit lowered (or
   * descriptors taken) afterwards. */
  g_assert_true (g_spawn_command_line_sync (lower, NULL, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  free_fds = 24 - jsw_test_server_count_fds (server);

  /* More idle connections than the server has descriptors left; the rest
   * wait in the listening queue. */
  for (guint i = 0; i < free_fds + 8; i++)
    g_ptr_array_add (held, raw_connect (server, NULL));

  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 1);
  g_clear_object (&server->process);
}

/* Slowloris: headers that never end are cut off after the header time
 * limit; so is a body that never ends, and a connection that says nothing. */
static void
test_slow_requests_are_cut_off (void)
{
  const char *const args[] = { "--header-timeout", "1", "--body-timeout", "2", NULL };
  g_autoptr(JswTestServer) server = jsw_test_server_start (args);
  g_autoptr(GSocket) silent = raw_connect (server, NULL);
  g_autoptr(GSocket) slow_headers = raw_connect (server, NULL);
  g_autoptr(GSocket) slow_body = raw_connect (server, NULL);
  guint baseline;
  gint64 start = g_get_monotonic_time ();

  raw_send (slow_headers, "GET /healthz HTTP/1.1\r\nHost: jobswipe.test\r\nX-Slow: ");
  raw_send (slow_body, "POST /v1/sessions HTTP/1.1\r\nHost: jobswipe.test\r\n"
                       "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\":");

  g_assert_true (closed_by_server (silent, 10));
  g_assert_true (closed_by_server (slow_headers, 10));
  g_assert_true (closed_by_server (slow_body, 10));
  /* Not before their limits: the body had two seconds after its headers. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC - 100000);

  /* and their descriptors are given back */
  g_clear_object (&silent);
  g_clear_object (&slow_headers);
  g_clear_object (&slow_body);
  baseline = jsw_test_server_count_fds (server);
  assert_healthy (server, NULL);
  g_assert_cmpuint (wait_for_fd_count (server, baseline, 5000), <=, baseline);
}

/* One address cannot take more than its share; others are still served,
 * and the address is served again once it closes connections. */
static void
test_connections_per_address_are_capped (void)
{
  const char *const args[] = { "--max-per-address", "3", NULL };
  g_autoptr(JswTestServer) server = jsw_test_server_start (args);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RawResponse) refused = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (held, raw_connect (server, "127.0.0.1"));

  refused = get_healthz (server, "127.0.0.1");
  g_assert_nonnull (refused);
  g_assert_cmpuint (refused->status, ==, 429);
  g_assert_nonnull (strstr (refused->headers, "\r\nretry-after: "));
  json_parser_load_from_data (parser, refused->body, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jsw_test_error_code (json_parser_get_root (parser)), ==, "rate_limited");

  assert_healthy (server, "127.0.0.2");

  g_ptr_array_remove_index (held, 0);
  /* The server notices the close when it reads; give it a moment. */
  for (guint tries = 0; ; tries++)
    {
      g_autoptr(RawResponse) response = get_healthz (server, "127.0.0.1");

      g_assert_nonnull (response);
      if (response->status == 200)
        break;
      g_assert_cmpuint (response->status, ==, 429);
      g_assert_cmpuint (tries, <, 50);
      g_usleep (100 * 1000);
    }
}

/* The total cap holds whatever the addresses. */
static void
test_connections_in_total_are_capped (void)
{
  const char *const args[] = { "--max-connections", "4", NULL };
  g_autoptr(JswTestServer) server = jsw_test_server_start (args);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(RawResponse) refused = NULL;

  g_ptr_array_add (held, raw_connect (server, "127.0.0.2"));
  g_ptr_array_add (held, raw_connect (server, "127.0.0.3"));
  g_ptr_array_add (held, raw_connect (server, "127.0.0.4"));
  g_ptr_array_add (held, raw_connect (server, "127.0.0.5"));

  refused = get_healthz (server, "127.0.0.6");
  g_assert_nonnull (refused);
  g_assert_cmpuint (refused->status, ==, 503);
  g_assert_nonnull (strstr (refused->body, "\"unavailable\""));

  g_ptr_array_set_size (held, 0);
  for (guint tries = 0; ; tries++)
    {
      g_autoptr(RawResponse) response = get_healthz (server, "127.0.0.6");

      g_assert_nonnull (response);
      if (response->status == 200)
        break;
      g_assert_cmpuint (tries, <, 50);
      g_usleep (100 * 1000);
    }
}

/* A low descriptor limit: the cap leaves room for the descriptors the
 * server holds already, so idle connections from one client fill the cap,
 * never the descriptor table: anyone else still gets an answer (a 503
 * while the cap is full), and the server never goes deaf or exits. (The
 * cap counted only the limit: idle connections made accept() fail, other
 * clients got nothing, and after 10 s the server gave up.) */
static void
test_idle_connections_never_exhaust_descriptors (void)
{
  g_autoptr(JswTestServer) server = jsw_test_server_start_limited (NULL, 24);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (held, raw_connect (server, NULL));
  g_usleep (500 * 1000);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(RawResponse) response = get_healthz (server, "127.0.0.2");

      g_assert_nonnull (response);
      g_assert_cmpuint (response->status, ==, 503);
    }

  g_ptr_array_set_size (held, 0);
  for (guint tries = 0; ; tries++)
    {
      g_autoptr(RawResponse) response = get_healthz (server, "127.0.0.2");

      g_assert_nonnull (response);
      if (response->status == 200)
        break;
      g_assert_cmpuint (tries, <, 50);
      g_usleep (100 * 1000);
    }
  assert_healthy (server, NULL);
}

/* The server's peak resident memory, in KiB (VmHWM). */
static guint64
server_peak_rss_kib (JswTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) jsw_test_server_pid (server));
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* Sends @head, then body bytes until the server answers; returns the
 * answer and how many body bytes went out before it came. */
static RawResponse *
send_body_until_answered (GSocket    *socket,
                          const char *head,
                          gboolean    chunked,
                          guint64     body_length,
                          guint64    *sent)
{
  g_autofree char *block = g_malloc0 (64 * 1024);
  g_autofree char *chunk_head = g_strdup_printf ("%x\r\n", 64 * 1024);

  raw_send (socket, head);
  *sent = 0;
  while (*sent < body_length)
    {
      g_autoptr(GError) error = NULL;

      if (g_socket_condition_check (socket, G_IO_IN) != 0)
        break;
      if (chunked)
        raw_send (socket, chunk_head);
      if (g_socket_send (socket, block, 64 * 1024, NULL, &error) < 0)
        break;
      if (chunked)
        raw_send (socket, "\r\n");
      *sent += 64 * 1024;
    }
  return raw_read_response (socket);
}

static void
assert_too_large (RawResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 413);
  json_parser_load_from_data (parser, response->body, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (jsw_test_error_code (json_parser_get_root (parser)), ==, "payload_too_large");
}

/* Issue 8: a 128 MiB body, no token needed, cost the server 306 MiB before
 * its 413. Now the answer comes before the body is read: at once when
 * Content-Length says so, at 1 MiB of a chunked body; the server's memory
 * stays flat and the client sends little of its body. */
static void
test_oversized_bodies_are_refused_early (void)
{
  /* Every path: the stream's has handlers of its own. */
  static const char *paths[] = { "/v1/sessions", "/v1/swipes", "/v1/stream", "/v1/stream/", "/v1/stream?x=1", "/nowhere" };
  g_autoptr(JswTestServer) server = jsw_test_server_start (NULL);
  const guint64 length = 128 * 1024 * 1024;
  guint64 peak_before, sent;

  assert_healthy (server, NULL);
  peak_before = server_peak_rss_kib (server);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *sized_head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: jobswipe.test\r\n"
                                                     "Content-Type: application/json\r\n"
                                                     "Content-Length: %" G_GUINT64_FORMAT "\r\n\r\n",
                                                     paths[i], length);
      g_autofree char *chunked_head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: jobswipe.test\r\n"
                                                       "Content-Type: application/json\r\n"
                                                       "Transfer-Encoding: chunked\r\n\r\n", paths[i]);

      {
        g_autoptr(GSocket) socket = raw_connect (server, NULL);
        g_autoptr(RawResponse) response = send_body_until_answered (socket, sized_head, FALSE, length, &sent);

        assert_too_large (response);
        g_assert_cmpuint (sent, <, 32 * 1024 * 1024);
        g_test_message ("%s, Content-Length: answered after %" G_GUINT64_FORMAT " body bytes", paths[i], sent);
      }
      {
        g_autoptr(GSocket) socket = raw_connect (server, NULL);
        g_autoptr(RawResponse) response = send_body_until_answered (socket, chunked_head, TRUE, length, &sent);

        assert_too_large (response);
        g_assert_cmpuint (sent, <, 32 * 1024 * 1024);
        g_test_message ("%s, chunked: answered after %" G_GUINT64_FORMAT " body bytes", paths[i], sent);
      }
    }

  g_test_message ("peak RSS grew by %" G_GUINT64_FORMAT " KiB", server_peak_rss_kib (server) - peak_before);
  /* Far below the 128 MiB any one body would have taken. */
  g_assert_cmpuint (server_peak_rss_kib (server) - peak_before, <, 16 * 1024);
  assert_healthy (server, NULL);
}

/* A right swipe on a job whose snapshot is about 32 KiB. */
static void
swipe_big_job (SoupSession   *session,
               JswTestServer *server,
               const char    *token,
               guint          n)
{
  g_autofree char *padding = g_strnfill (32 * 1024, 'x');
  g_autofree char *body = g_strdup_printf ("{\"direction\":\"right\",\"job\":{\"job_id\":\"big-%u\","
                                           "\"title\":\"Backend developer\",\"company\":\"Example GmbH\","
                                           "\"apply_url\":\"https://jobs.example.com/%u\",\"location\":\"Berlin\","
                                           "\"description\":\"%s\"}}", n, n, padding);
  guint status;
  g_autoptr(JsonNode) node = jsw_test_http (session, server, "POST", "/v1/swipes", token, body, &status);

  g_assert_cmpuint (status, ==, 201);
}

/* Issue 8: a client that stops reading made the server queue frames for
 * it without limit (RSS 12 -> 688 MiB). Now what waits for a client is
 * bounded by the send budget, and past it the connection is closed (the
 * client resumes with `since` like after any close). Here a desktop stops
 * reading while its user's other device swipes 600 big jobs: 19 MiB of
 * changes it would have been sent. */
static void
test_client_that_stops_reading_is_closed (void)
{
  const char *const args[] = { "--send-budget", "262144", NULL };
  g_autoptr(JswTestServer) server = jsw_test_server_start (args);
  g_autofree char *token = jsw_test_server_add_user (server, "stalled@example.com", "enterprise", NULL);
  g_autoptr(SoupSession) session = jsw_test_session_new ();
  g_autoptr(GSocket) socket = NULL;
  guint64 peak_before, received = 0;
  gboolean closed = FALSE;
  char buffer[16384];

  assert_healthy (server, NULL);
  socket = raw_stream_connect (server, token);
  g_assert_true (raw_stream_send (socket, "{\"type\":\"hello\",\"device\":\"stalled\",\"since\":0}"));
  swipe_big_job (session, server, token, 0);
  peak_before = server_peak_rss_kib (server);

  for (guint i = 1; i < 600; i++)
    swipe_big_job (session, server, token, i);

  /* Now read: what was queued comes, then the end of the connection. */
  g_socket_set_timeout (socket, 20);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        {
          closed = !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
          break;
        }
      received += n;
    }
  g_test_message ("received %" G_GUINT64_FORMAT " bytes, then the connection ended; peak RSS grew by %"
                  G_GUINT64_FORMAT " KiB", received, server_peak_rss_kib (server) - peak_before);
  g_assert_true (closed);
  /* The budget, one frame past it and what the socket buffers held */
  g_assert_cmpuint (received, <, 2 * 262144);
  g_assert_cmpuint (server_peak_rss_kib (server) - peak_before, <, 12 * 1024);
  assert_healthy (server, NULL);
}

/* A client that reads everything is never closed for being slow, however
 * much it is sent. Here it offers permessage-deflate, as libsoup's and
 * Node's clients do by default: the budget counted frames before
 * compression against bytes acknowledged on the wire, and closed readers
 * once 4 MiB had gone by. */
static void
test_client_that_reads_is_never_closed (void)
{
  const char *const args[] = { "--send-budget", "262144", NULL };
  g_autoptr(JswTestServer) server = jsw_test_server_start (args);
  g_autofree char *token = jsw_test_server_add_user (server, "reader@example.com", "enterprise", NULL);
  g_autoptr(SoupSession) session = jsw_test_session_new ();
  g_autoptr(JswTestStream) stream = jsw_test_stream_open (server, token, NULL);
  g_autoptr(JsonObject) welcome = NULL;

  g_assert_nonnull (stream);
  jsw_test_stream_send (stream, "{\"type\":\"hello\",\"device\":\"reader\",\"since\":0}");
  welcome = jsw_test_stream_expect (stream, "welcome");

  /* 40 changes of 32 KiB: five times the budget. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(JsonObject) frame = NULL;

      swipe_big_job (session, server, token, i);
      frame = jsw_test_stream_expect (stream, "entry");
      g_assert_nonnull (frame);
    }
  g_assert_false (jsw_test_stream_wait_closed (stream, 500));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Freed memory that AddressSanitizer holds back (256 MiB by default)
   * would hide what the server keeps; the servers started here free at
   * once, so their resident memory means what it says. */
  {
    g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS") ? g_getenv ("ASAN_OPTIONS") : "",
                                         ":quarantine_size_mb=0", NULL);

    g_setenv ("ASAN_OPTIONS", asan, TRUE);
  }

  g_test_add_func ("/connections/closed-connections-free-their-descriptors",
                   test_closed_connections_free_their_descriptors);
  g_test_add_func ("/connections/one-request-per-connection", test_one_request_per_connection);
  g_test_add_func ("/connections/exits-when-accepting-keeps-failing", test_exits_when_accepting_keeps_failing);
  g_test_add_func ("/connections/slow-requests-are-cut-off", test_slow_requests_are_cut_off);
  g_test_add_func ("/connections/per-address-cap", test_connections_per_address_are_capped);
  g_test_add_func ("/connections/total-cap", test_connections_in_total_are_capped);
  g_test_add_func ("/connections/idle-connections-never-exhaust-descriptors",
                   test_idle_connections_never_exhaust_descriptors);
  g_test_add_func ("/connections/oversized-bodies-refused-early", test_oversized_bodies_are_refused_early);
  g_test_add_func ("/connections/client-that-stops-reading-is-closed", test_client_that_stops_reading_is_closed);
  g_test_add_func ("/connections/client-that-reads-is-never-closed", test_client_that_reads_is_never_closed);

  return g_test_run ();
}
