/* jsw-app-fixture.h: the end-to-end tests' world: a real jobswipe-server,
 * the fixture site, a notification server on the test's bus, and the real
 * `jobswipe` started as a person or an operator would, with its folders
 * in the test's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>

#include "jsw-fixture-site.h"
#include "jsw-test-util.h"

G_BEGIN_DECLS

/* Ada's profile; %s is her resume's path. */
#define PROFILE_JSON \
  "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\",\"email\":\"ada@example.org\"," \
  "\"phone\":\"+44 20 7946 0958\",\"linkedin_url\":\"https://www.linkedin.com/in/ada-lovelace\"," \
  "\"resume_path\":\"%s\"," \
  "\"answers\":{\"work_authorization\":\"Yes\",\"requires_sponsorship\":\"No\"," \
  "\"How many years of experience do you have with C?\":\"12\"},\"eeo\":{\"gender\":\"Female\"}}"

typedef struct {
  JswTestServer  *server;
  JswFixtureSite *site;
  SoupSession    *session;
  char           *dir;
  char           *token;        /* the app's device token */
  char           *watcher;      /* another device of the same person, to watch */
  char           *token_file;
  char           *profile;
  GSubprocess    *app;
  const char     *settings;     /* keyfile settings for the app, if any */
  gboolean        use_portals;  /* as a sandboxed app would */
  GPtrArray      *notifications;        /* summaries shown, by the desktop's notification server */
  gpointer        notification_server;  /* FakeService */
} Fixture;

/* A desktop service stand-in on the test's bus: @xml's first interface at
 * @path, under the well-known @name. */
typedef struct {
  GDBusConnection *bus;
  guint            object_id;
  guint            name_id;
} FakeService;

/* Short enough that a killed app's lease runs out within the test, long
 * enough that an app whose main loop stalls while WebKit starts (seconds
 * in an ASan build on a busy machine) does not lose it between heartbeats. */
extern const char *short_leases[];
/* The buttons of the notifications shown, as "summary: label". */
extern GPtrArray *notification_buttons;

gboolean       skip_without_desktop (void);
void           write_file          (const char    *path,
                                    const char    *contents);
void           fixture_set_up      (Fixture       *f,
                                    gconstpointer  data);
void           fixture_tear_down   (Fixture       *f,
                                    gconstpointer  data);
void           stop_app            (Fixture       *f,
                                    int            signum);
const char    *screenshots_dir     (void);
void           forget_screenshot   (const char    *name);
void           assert_screenshot   (const char    *name);
char          *screen_picture      (const char    *name);
void           spawn_app           (Fixture       *f,
                                    gboolean       signed_in,
                                    const char    *mode);
void           start_app_with      (Fixture       *f,
                                    const char    *mode);
void           start_app           (Fixture       *f);
char          *swipe               (Fixture       *f,
                                    const char    *job_id,
                                    const char    *path);
char          *follow              (Fixture       *f,
                                    JswTestStream *stream,
                                    const char    *entry_id,
                                    guint          timeout_s,
                                    gint64        *max_percent,
                                    GPtrArray     *steps);
char          *swipe_until         (Fixture       *f,
                                    JswTestStream *stream,
                                    const char    *job_id,
                                    const char    *path,
                                    const char    *state);
void           follow_until        (Fixture       *f,
                                    JswTestStream *stream,
                                    const char    *entry_id,
                                    const char    *state);
JswTestStream *watch               (Fixture       *f);
JsonNode      *get_entry           (Fixture       *f,
                                    const char    *entry_id);
const char    *field_of_last_post  (Fixture       *f,
                                    const char    *name);
gboolean       name_has_owner      (GDBusConnection *bus,
                                    const char    *name);
void           activate_app_action (const char    *action,
                                    GVariant      *parameter);
void           wait_for_state      (Fixture       *f,
                                    const char    *entry_id,
                                    const char    *state);
FakeService    serve_on_bus        (const char                 *xml,
                                    const char                 *path,
                                    const char                 *name,
                                    const GDBusInterfaceVTable *vtable,
                                    gpointer                    data);
void           stop_serving        (FakeService   *service);
void           serve_notifications (Fixture       *f);
void           stop_serving_notifications (Fixture *f);

G_END_DECLS
