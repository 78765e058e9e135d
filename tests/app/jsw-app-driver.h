/* jsw-app-driver.h: the hand-off tests' hands in the app's window (the
 * detail pane's test driver, src/app/jsw-entry-detail-driver.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-app-fixture.h"

G_BEGIN_DECLS

/* The window as a phone has it, and as wide as it opens by default
 * (data/org.jobswipe.JobSwipe.gschema.xml), in px. */
#define PHONE_WIDTH 360
#define WIDE_WIDTH  1180

/* Settings (a keyfile's lines, Fixture's `settings`) that start the app
 * with its window PHONE_WIDTH px wide, restored as it was closed. */
#define PHONE_WINDOW "window-width=360\nwindow-height=720\n"

/* Calls the driver; NULL while the window is not there yet. */
GVariant *driver_call   (const char         *method,
                         GVariant           *parameters,
                         const GVariantType *reply_type);
gboolean  driver_bool   (const char         *method,
                         GVariant           *parameters);
/* Presses the pane's button for @action (entry.*); it must be there. */
void      press         (const char         *action);
/* Types @text as the answer to @question's row. */
void      answer        (const char         *question,
                         const char         *text);
/* Waits until the pane shows @entry_id as @showing ("questions", "wall",
 * "review", ...). Returns: (transfer full): the questions it asks, as
 * a(ss) (label, kind) */
GVariant *wait_showing  (const char         *entry_id,
                         const char         *showing);
/* Runs @script in the live page the pane shows; its value as text. */
char     *run_in_page   (const char         *script);
gboolean  asks          (GVariant           *questions,
                         const char         *label,
                         const char         *kind);
/* One picture of the window as it is (NAME), light or dark. */
void      picture       (const char         *name,
                         gboolean            dark);
void      pictures      (const char         *name);

G_END_DECLS
