/* bench-app-deck.c: the swipe deck, swipe to next card drawn (issue 13:
 * p99 <= 16 ms, one frame at 60 Hz) and memory with 200 cards seen
 *
 *   bench-app-deck [SWIPES]      (bench/app-deck runs it, under Xvfb)
 *
 * The real application and window in this process, signed in to a real
 * jobswipe-server whose feed is synced from a fake Lever board of
 * SWIPES + 40 postings (tests/server/boards/make-boards.py, each its own
 * job, so each is a card). Each swipe is
 * made as the Apply and Pass buttons make it (alternately), and timed
 * from the moment the thrown card is out of sight (JswDeckView::thrown,
 * where the swipe is made and the next card comes to the front) to the
 * end of the first frame painted after it (GdkFrameClock::after-paint):
 * the work of bringing the next card up, which must fit in one frame.
 * The throw's own animation (220 ms, on the frame clock) is not counted.
 * That time is split at the end of the frame's layout (the frame clock's
 * ::layout, after GTK's own handler): before it the swipe and the measure
 * and allocation of the cards, after it the drawing (snapshot and GSK's
 * renderer: under Xvfb, GL on Mesa's software llvmpipe). The frame ends
 * once the X server has what was painted: both of GTK's renderers hand
 * their pixels to the X server without waiting (GL's swap is an XPutImage
 * under Xvfb, cairo's drawing is XRender requests the server carries out),
 * so the end of the frame waits for the X server to have done them
 * (XSync), and a renderer cannot look fast by leaving its work to it.
 * Memory: the process's RSS and PSS after 10 swipes and after SWIPES.
 * Prints the load average beside the figures.
 *
 * Wall-clock figures on a machine others share are mostly their load, so
 * the same span is also given as CPU time: the process's (every thread:
 * Mesa's llvmpipe draws with threads of its own) and the main thread's
 * (GTK's layout and snapshot). JSW_BENCH_COUNT_LABELS=1 also counts the
 * GtkLabels measured in the frame after each swipe (which text GTK lays
 * out again), by wrapping GtkLabel's measure; it costs a little time, so
 * the timings of such a run are not the figure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "jsw-application.h"
#include "jsw-discover-page.h"
#include "jsw-fake-board.h"
#include "jsw-test-util.h"
#include "jsw-window.h"

static struct {
  JswWindow *window;
  JswTestServer *server;  /* asked what its feed holds when the deck runs dry */
  const char *token;
  gint64     thrown_at;
  GArray    *times;       /* double, ms */
  GArray    *handled;     /* double, ms: the swipe's own work, in ::thrown */
  GArray    *laid_out;    /* double, ms: to the end of that frame's layout */
  gint64     layout_end;  /* of the frame after the swipe, µs */
  gint64     cpu_at;      /* the process's CPU time at ::thrown, µs */
  gint64     thread_at;   /* the main thread's */
  GArray    *cpu;         /* double, ms: the process's CPU time, ::thrown to painted */
  GArray    *thread_cpu;  /* double, ms: the main thread's */
  gboolean   count_labels;
  guint      labels;      /* GtkLabel measures since ::thrown */
  guint      next_labels; /* in the frame after it */
  guint64    label_chars; /* the characters of the labels measured */
  GArray    *label_counts; /* double: labels measured in the frame after a swipe */
  gint64     next_cpu_at; /* the process's CPU time when that frame was painted, µs; 0: not waiting */
  GArray    *next_cpu;    /* double, ms: the process's CPU time to the end of the frame after it */
  GArray    *next_label_counts; /* double: labels measured in it */
  GHashTable *label_texts; /* the first words of a label measured -> times */
  gboolean   painted;
  char      *expected;    /* the posting id that should be in front */
  gboolean   wrong;
} b;

static JswDiscoverPage *page (void);

static gint64
cpu_time (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Counting the GtkLabels GTK measures: which text is laid out again. */

static void (*label_measure) (GtkWidget *, GtkOrientation, int, int *, int *, int *, int *);

static void
counting_label_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (b.next_cpu_at != 0)
    b.next_labels++;
  else if (b.thrown_at != 0 && !b.painted)
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
      /* The template's name for it (description_label), or its words. */
      g_autofree char *start = id ? g_strdup (id) : g_strndup (text, 24);

      b.labels++;
      b.label_chars += strlen (text);
      g_hash_table_insert (b.label_texts, g_strdup (start),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (b.label_texts, start)) + 1));
    }
  label_measure (widget, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
count_label_measures (void)
{
  GtkWidgetClass *klass = g_type_class_ref (GTK_TYPE_LABEL);

  label_measure = klass->measure;
  klass->measure = counting_label_measure;
  b.label_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
iterate_until (gboolean (*done) (void),
               guint     timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!done () && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!done ())
    {
      JswDeckModel *model = jsw_discover_page_get_model (page ());

      g_autoptr(SoupSession) http = jsw_test_session_new ();
      guint status = 0;
      g_autoptr(JsonNode) feed = jsw_test_http (http, b.server, "GET", "/v1/feed?limit=100", b.token, NULL, &status);
      g_autofree char *text = feed ? json_to_string (feed, FALSE) : NULL;

      g_printerr ("the server's feed now (%u): %.600s\n", status, text ? text : "-");
      g_error ("timed out after %u swipes: the deck shows \"%s\", %u postings, %u swipes waiting, %s",
               b.times ? b.times->len : 0, jsw_discover_page_get_state (page ()),
               model ? jsw_deck_model_get_n_postings (model) : 0, model ? jsw_deck_model_get_n_waiting (model) : 0,
               model && jsw_deck_view_get_busy (jsw_discover_page_get_view (page ())) ? "a card moving" : "no card moving");
    }
}

static JswDiscoverPage *
page (void)
{
  return JSW_DISCOVER_PAGE (gtk_widget_get_template_child (GTK_WIDGET (b.window), JSW_TYPE_WINDOW, "discover_page"));
}

static gboolean
cards_shown (void)
{
  return jsw_discover_page_get_model (page ()) != NULL &&
         g_strcmp0 (jsw_discover_page_get_state (page ()), "cards") == 0 &&
         jsw_deck_model_get_n_postings (jsw_discover_page_get_model (page ())) >= 3;
}

static gboolean
swipe_drawn (void)
{
  return b.painted && b.next_cpu_at == 0 && !jsw_deck_view_get_busy (jsw_discover_page_get_view (page ()));
}

static gboolean
thrown_hook (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               data)
{
  JswDeckModel *model = jsw_discover_page_get_model (page ());
  JsonObject *next = jsw_deck_model_get_posting (model, 1);

  b.thrown_at = g_get_monotonic_time ();
  b.cpu_at = cpu_time (CLOCK_PROCESS_CPUTIME_ID);
  b.thread_at = cpu_time (CLOCK_THREAD_CPUTIME_ID);
  b.labels = 0;
  b.painted = FALSE;
  g_free (b.expected);
  b.expected = next ? g_strdup (json_object_get_string_member (next, "posting_id")) : NULL;
  return TRUE;
}

static void
thrown_done_cb (void)
{
  double ms = (g_get_monotonic_time () - b.thrown_at) / 1000.0;

  g_array_append_val (b.handled, ms);
}

/* After GTK's own handler (connected first): the frame's layout is done. */
static void
layout_done_cb (GdkFrameClock *clock)
{
  if (b.thrown_at != 0 && b.layout_end == 0)
    b.layout_end = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock)
{
  JswSwipeCard *front;
  JsonObject *posting;
  double ms;

  if (b.next_cpu_at != 0)
    {
      ms = (cpu_time (CLOCK_PROCESS_CPUTIME_ID) - b.next_cpu_at) / 1000.0;
      g_array_append_val (b.next_cpu, ms);
      ms = b.next_labels;
      g_array_append_val (b.next_label_counts, ms);
      b.next_labels = 0;
      b.next_cpu_at = 0;
      return;
    }
  if (b.thrown_at == 0 || b.painted)
    return;
  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    XSync (gdk_x11_display_get_xdisplay (gdk_display_get_default ()), False);
  ms = ((b.layout_end ? b.layout_end : g_get_monotonic_time ()) - b.thrown_at) / 1000.0;
  g_array_append_val (b.laid_out, ms);
  b.layout_end = 0;
  ms = (g_get_monotonic_time () - b.thrown_at) / 1000.0;
  b.painted = TRUE;
  b.thrown_at = 0;
  g_array_append_val (b.times, ms);
  ms = (cpu_time (CLOCK_PROCESS_CPUTIME_ID) - b.cpu_at) / 1000.0;
  g_array_append_val (b.cpu, ms);
  ms = (cpu_time (CLOCK_THREAD_CPUTIME_ID) - b.thread_at) / 1000.0;
  g_array_append_val (b.thread_cpu, ms);
  ms = b.labels;
  g_array_append_val (b.label_counts, ms);
  /* And the frame after it, where the card at the back (out of sight)
   * takes its next posting: one is asked for, should nothing else. */
  b.next_cpu_at = cpu_time (CLOCK_PROCESS_CPUTIME_ID);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  /* What was drawn is the next posting, not the one thrown. */
  front = jsw_deck_view_get_front (jsw_discover_page_get_view (page ()));
  posting = jsw_swipe_card_get_posting (front);
  if (b.expected != NULL && (posting == NULL || !gtk_widget_get_visible (GTK_WIDGET (front)) ||
                             g_strcmp0 (json_object_get_string_member (posting, "posting_id"), b.expected) != 0))
    b.wrong = TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b_)
{
  double x = *(const double *) a, y = *(const double *) b_;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, MIN (i, sorted->len - 1));
}

/* kB, from /proc/self/status (VmRSS) and smaps_rollup (Pss). */
static void
memory (gint64 *rss,
        gint64 *pss)
{
  g_autofree char *status = NULL;
  g_autofree char *rollup = NULL;
  const char *line;

  *rss = *pss = -1;
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) && (line = strstr (status, "VmRSS:")) != NULL)
    *rss = g_ascii_strtoll (line + 6, NULL, 10);
  if (g_file_get_contents ("/proc/self/smaps_rollup", &rollup, NULL, NULL) && (line = strstr (rollup, "\nPss:")) != NULL)
    *pss = g_ascii_strtoll (line + 5, NULL, 10);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(GError) error = NULL;

  if (!jsw_session_sign_in_finish (JSW_SESSION (source), result, &error))
    g_error ("sign-in: %s", error->message);
}

int
main (int    argc,
      char **argv)
{
  guint swipes = argc > 1 ? (guint) atoi (argv[1]) : 200;
  g_autofree char *home = g_dir_make_tmp ("jsw-bench-deck-XXXXXX", NULL);
  g_autofree char *boards = g_build_filename (home, "boards", NULL);
  g_autofree char *count = g_strdup_printf ("%u", swipes + 40);
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);
  g_autofree char *loadavg = NULL;
  g_autoptr(JswSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) added = NULL;
  g_autoptr(JsonObject) synced = NULL;
  JswTestServer *server;
  JswFakeBoard *board;
  JswApplication *app;
  char *token;
  gint64 rss_10 = 0, pss_10 = 0, rss_n, pss_n;
  const char *dirs[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
  const char *make_boards[] = { "python3", "tests/server/boards/make-boards.py", boards, "--greenhouse", "0",
                                "--lever", count, "--ashby", "0", "--personio", "0", NULL };
  int status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *dir = g_build_filename (home, dirs[i], NULL);

      g_setenv (dirs[i], dir, TRUE);
    }
  gtk_init ();
  b.times = g_array_new (FALSE, FALSE, sizeof (double));
  b.handled = g_array_new (FALSE, FALSE, sizeof (double));
  b.laid_out = g_array_new (FALSE, FALSE, sizeof (double));
  b.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  b.thread_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  b.label_counts = g_array_new (FALSE, FALSE, sizeof (double));
  b.next_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  b.next_label_counts = g_array_new (FALSE, FALSE, sizeof (double));
  b.count_labels = g_strcmp0 (g_getenv ("JSW_BENCH_COUNT_LABELS"), "1") == 0;
  if (b.count_labels)
    count_label_measures ();

  if (!g_spawn_sync (NULL, (char **) make_boards, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("make-boards.py: %s", error->message);
  /* One job per posting: the board's generator repeats titles (a likely
   * duplicate every seventh posting, and titles drawn from a short list),
   * and the feed shows one posting of a group of likely duplicates
   * (docs/server.md "The feed"), so 240 postings made about 80 cards and
   * the deck ran dry after 82 swipes. Numbered titles make every posting a
   * card. */
  {
    g_autofree char *lever = g_build_filename (boards, "lever", "acme.json", NULL);
    const char *number[] = { "python3", "-c",
      "import json, sys\n"
      "postings = json.load(open(sys.argv[1]))\n"
      "for i, p in enumerate(postings):\n"
      "    p['text'] = '%s (%d)' % (p['text'], i + 1)\n"
      "json.dump(postings, open(sys.argv[1], 'w'))\n",
      lever, NULL };

    if (!g_spawn_sync (NULL, (char **) number, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      g_error ("numbering the titles: %s", error->message);
  }
  board = jsw_fake_board_start (boards);
  server = jsw_test_server_start (NULL);
  token = jsw_test_server_add_user (server, "bench@example.org", "enterprise", NULL);
  b.server = server;
  b.token = token;
  {
    g_autoptr(SoupSession) http = jsw_test_session_new ();

    jsw_test_set_mode (http, server, token, "desktop");
  }
  added = jsw_test_server_cli (server, NULL, "source", "add", "lever", "acme", "--base-url", jsw_fake_board_url (board), NULL);
  synced = jsw_test_server_cli (server, NULL, "source", "sync", NULL);

  app = jsw_application_new ();
  g_application_set_flags (G_APPLICATION (app), g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, NULL);
  b.window = jsw_window_new (GTK_APPLICATION (app));
  /* JSW_BENCH_WINDOW=WIDTHxHEIGHT: another size than the window's own
   * (1180x700), to see whether drawing costs with the window's area. */
  if (g_getenv ("JSW_BENCH_WINDOW") != NULL)
    {
      int width = 0, height = 0;

      if (sscanf (g_getenv ("JSW_BENCH_WINDOW"), "%dx%d", &width, &height) != 2 || width <= 0 || height <= 0)
        g_error ("JSW_BENCH_WINDOW is WIDTHxHEIGHT, such as 600x700");
      gtk_window_set_default_size (GTK_WINDOW (b.window), width, height);
    }
  gtk_window_present (GTK_WINDOW (b.window));
  g_object_get (app, "session", &session, NULL);
  jsw_session_sign_in_async (session, server->url, NULL, NULL, token, NULL, signed_in_cb, NULL);
  iterate_until (cards_shown, 60);

  g_signal_add_emission_hook (g_signal_lookup ("thrown", JSW_TYPE_DECK_VIEW), 0, thrown_hook, NULL, NULL);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b.window)), "layout", G_CALLBACK (layout_done_cb), NULL);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (b.window)), "after-paint", G_CALLBACK (after_paint_cb), NULL);
  g_signal_connect_after (jsw_discover_page_get_view (page ()), "thrown", G_CALLBACK (thrown_done_cb), NULL);
  for (guint i = 0; i < swipes; i++)
    {
      b.painted = FALSE;
      jsw_discover_page_swipe (page (), i % 2 == 0);
      iterate_until (swipe_drawn, 30);
      if (i + 1 == 10)
        memory (&rss_10, &pss_10);
    }
  memory (&rss_n, &pss_n);

  g_array_sort (b.times, compare_doubles);
  g_array_sort (b.handled, compare_doubles);
  g_array_sort (b.laid_out, compare_doubles);
  g_array_sort (b.cpu, compare_doubles);
  g_array_sort (b.thread_cpu, compare_doubles);
  g_array_sort (b.label_counts, compare_doubles);
  g_array_sort (b.next_cpu, compare_doubles);
  g_array_sort (b.next_label_counts, compare_doubles);
  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  g_print ("swipe to next card drawn, %u swipes (Apply and Pass in turn): p50 %.2f ms, p99 %.2f ms, max %.2f ms%s\n",
           b.times->len, percentile (b.times, 0.5), percentile (b.times, 0.99), percentile (b.times, 1.0),
           b.wrong ? " (A FRAME SHOWED THE WRONG CARD)" : "");
  g_print ("  of which the swipe itself (the model, the cards refilled): p50 %.2f ms, p99 %.2f ms\n",
           percentile (b.handled, 0.5), percentile (b.handled, 0.99));
  g_print ("  to the end of the frame's layout (measure and allocate): p50 %.2f ms, p99 %.2f ms; the rest is drawing "
           "(snapshot and the %s renderer)\n", percentile (b.laid_out, 0.5), percentile (b.laid_out, 0.99),
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (b.window))));
  g_print ("  CPU time over the same span: the process (all threads) p50 %.2f ms, p99 %.2f ms; "
           "the main thread p50 %.2f ms, p99 %.2f ms\n",
           percentile (b.cpu, 0.5), percentile (b.cpu, 0.99),
           percentile (b.thread_cpu, 0.5), percentile (b.thread_cpu, 0.99));
  g_print ("  the frame after it (the card at the back, out of sight, takes its next posting): the process's CPU "
           "time p50 %.2f ms, p99 %.2f ms\n", percentile (b.next_cpu, 0.5), percentile (b.next_cpu, 0.99));
  if (b.count_labels)
    {
      GHashTableIter iter;
      gpointer text, n;

      g_print ("  GtkLabels measured in the frame after that: p50 %.0f, max %.0f\n",
               percentile (b.next_label_counts, 0.5), percentile (b.next_label_counts, 1.0));
      g_print ("  GtkLabels measured in the frame after a swipe: p50 %.0f, max %.0f (%.0f characters a swipe on "
               "average); by their name in the .ui file or"
               " their first words, over all swipes (those in at least half of the frames):\n",
               percentile (b.label_counts, 0.5), percentile (b.label_counts, 1.0),
               b.times->len ? (double) b.label_chars / b.times->len : 0.0);
      g_hash_table_iter_init (&iter, b.label_texts);
      while (g_hash_table_iter_next (&iter, &text, &n))
        if (GPOINTER_TO_UINT (n) >= b.times->len / 2)
          g_print ("    %5u  \"%s\"\n", GPOINTER_TO_UINT (n), (const char *) text);
    }
  g_print ("memory: after 10 cards RSS %.1f MiB, PSS %.1f MiB; after %u cards RSS %.1f MiB, PSS %.1f MiB\n",
           rss_10 / 1024.0, pss_10 / 1024.0, swipes, rss_n / 1024.0, pss_n / 1024.0);
  g_print ("window %d x %d px; load average: %s", gtk_widget_get_width (GTK_WIDGET (b.window)),
           gtk_widget_get_height (GTK_WIDGET (b.window)), loadavg ? loadavg : "?\n");

  gtk_window_destroy (GTK_WINDOW (b.window));
  g_application_quit (G_APPLICATION (app));
  g_object_unref (app);
  jsw_test_server_free (server);
  jsw_fake_board_stop (board);
  g_free (token);
  if (system (rm) != 0)
    g_printerr ("could not remove %s\n", home);
  return b.wrong ? 1 : 0;
}
