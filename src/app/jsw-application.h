/* jsw-application.h: the desktop app: one instance, a window or none
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-cache.h"
#include "jsw-queue-client.h"
#include "jsw-queue-model.h"
#include "jsw-runner.h"

G_BEGIN_DECLS

#define JSW_APPLICATION_ID "org.jobswipe.JobSwipe"
#define JSW_TYPE_APPLICATION (jsw_application_get_type ())

G_DECLARE_FINAL_TYPE (JswApplication, jsw_application, JSW, APPLICATION, AdwApplication)

JswApplication *jsw_application_new             (void);
JswCache       *jsw_application_get_cache       (JswApplication *self);
JswQueueClient *jsw_application_get_client      (JswApplication *self);
JswQueueModel  *jsw_application_get_queue_model (JswApplication *self);
JswRunner      *jsw_application_get_runner      (JswApplication *self);
void            jsw_application_save_answers    (JswApplication *self,
                                                 GHashTable     *answers);
void            jsw_application_retry           (JswApplication *self,
                                                 const char     *entry_id);
void            jsw_application_answer          (JswApplication *self,
                                                 const char     *entry_id,
                                                 GHashTable     *answers);
char           *jsw_application_get_server_url  (JswApplication *self);
GSettings      *jsw_application_get_settings    (JswApplication *self);
JsonNode       *jsw_application_load_profile_json (JswApplication *self);
gboolean        jsw_application_save_profile    (JswApplication  *self,
                                                 JsonNode        *profile,
                                                 GError         **error);
void            jsw_application_rest_async      (JswApplication      *self,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *body,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonNode       *jsw_application_rest_finish     (JswApplication  *self,
                                                 GAsyncResult    *result,
                                                 guint           *status,
                                                 GError         **error);
void            jsw_application_sign_in_async   (JswApplication      *self,
                                                 const char          *server_url,
                                                 const char          *email,
                                                 const char          *password,
                                                 const char          *token,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        jsw_application_sign_in_finish  (JswApplication      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void            jsw_application_take_browser    (JswApplication *self,
                                                 GtkWidget      *slot);
void            jsw_application_return_browser  (JswApplication *self,
                                                 GtkWidget      *slot);

G_END_DECLS
