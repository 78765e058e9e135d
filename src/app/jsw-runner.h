/* jsw-runner.h: applies to the person's desktop entries, one at a time,
 * with the engine in DESKTOP mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-apply-run.h"
#include "jsw-browser.h"
#include "jsw-engine.h"
#include "jsw-queue-client.h"
#include "jsw-queue-model.h"

G_BEGIN_DECLS

#define JSW_TYPE_RUNNER (jsw_runner_get_type ())

G_DECLARE_FINAL_TYPE (JswRunner, jsw_runner, JSW, RUNNER, GObject)

JswRunner     *jsw_runner_new              (JswQueueClient *client,
                                            JswQueueModel  *queue,
                                            JswEngine      *engine,
                                            JswProfile     *profile);
void           jsw_runner_set_auto_apply   (JswRunner      *self,
                                            gboolean        auto_apply);
void           jsw_runner_set_profile      (JswRunner      *self,
                                            JswProfile     *profile);
gboolean       jsw_runner_apply_now        (JswRunner      *self,
                                            const char     *entry_id);
const char    *jsw_runner_get_current      (JswRunner      *self);
void           jsw_runner_stop             (JswRunner      *self);
void           jsw_runner_set_review       (JswRunner      *self,
                                            gboolean        review);
gboolean       jsw_runner_finish_review    (JswRunner      *self,
                                            const char     *entry_id,
                                            gboolean        send);
char          *jsw_runner_screenshot_path  (const char     *entry_id);
const char    *jsw_runner_get_reviewing    (JswRunner      *self);
JswBrowser    *jsw_runner_get_browser      (JswRunner      *self,
                                            const char     *entry_id);
gboolean       jsw_runner_show_browser     (JswRunner      *self,
                                            const char     *entry_id,
                                            GtkBox         *slot);
void           jsw_runner_hide_browser     (JswRunner      *self,
                                            GtkBox         *slot);
JsonNode      *jsw_runner_dup_record       (JswRunner      *self,
                                            const char     *entry_id);
void           jsw_runner_answer_once      (JswRunner      *self,
                                            const char     *entry_id,
                                            GHashTable     *answers);
void           jsw_runner_forget           (JswRunner      *self,
                                            const char     *entry_id);

G_END_DECLS
