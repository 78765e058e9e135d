/* jsw-deck-fixture.h: the world of the swipe deck's tests
 * (test-deck-swiping.c, test-deck-applying.c): the real application object
 * and window in the test's process, under Xvfb with a keyring, signed in
 * to a real jobswipe-server whose feed is synced from a fake job board;
 * real X input (XTEST); and what a test reads back from the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <X11/Xlib.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "jsw-app-fixture.h"
#include "jsw-application.h"
#include "jsw-deck-demo.h"
#include "jsw-deck-view.h"
#include "jsw-discover-page.h"
#include "jsw-fake-board.h"
#include "jsw-fixture-site.h"
#include "jsw-json.h"
#include "jsw-matcher.h"
#include "jsw-screenshot.h"
#include "jsw-search-page.h"
#include "jsw-test-util.h"
#include "jsw-window-picture.h"
#include "jsw-window.h"

/* The question the fixture site's greenhouse/unknown form asks. */
#define SCALED "Describe the largest system you have scaled"

typedef struct {
  JswTestServer  *server;
  SoupSession    *http;
  JswFixtureSite *site;
  JswFakeBoard   *board;
  char           *home;
  char           *token;
  char           *phone;
  JswApplication *app;
  JswWindow      *window;
  Display        *x;
  Fixture         desktop;     /* only its notification server */
  gboolean        renderer_chosen; /* GSK_RENDERER was set before the app started */
} JswDeckTest;

/* The one world of a test program, set up by jsw_deck_test_start(). */
extern JswDeckTest t;

gboolean jsw_deck_test_start (int      *argc,
                              char   ***argv,
                              gboolean  asking);
void     jsw_deck_test_stop  (void);

void iterate_for (guint ms);

void iterate_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    guint      timeout_s,
                    const char *what);

gpointer child (gpointer    widget,
                GType       type,
                const char *name);

JswDiscoverPage *page (void);

JswDeckModel *model (void);

JswDeckView *view (void);

const char *front_id (void);

const char *front_title (void);

void screenshot (const char *name);

JsonNode *server_get (const char *path,
                      const char *token);

gboolean in_feed (const char *posting_id);

guint entries_for (JsonObject  *posting,
                   char       **state,
                   char       **entry_id);

gint64 used_today (void);

void pointer_to (GtkWidget *widget,
                 double     x,
                 double     y);

void press_key (KeySym key,
                KeySym modifier);

void send_click (GtkWidget *widget);

void click (GtkWidget *widget);
void double_click (GtkWidget *widget);

gboolean deck_shows (gpointer name);

gboolean front_is_not (gpointer posting_id);

gboolean front_is (gpointer posting_id);

gboolean settled (gpointer data);

gboolean all_sent (gpointer data);

JsonObject *front (void);

char *dup_id (JsonObject *posting);

GtkWidget *find_button (GtkWidget  *widget,
                        const char *label);

gboolean waiting (gpointer n);
