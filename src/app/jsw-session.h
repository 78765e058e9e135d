/* jsw-session.h: this device's standing with the server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "jsw-queue-client.h"

G_BEGIN_DECLS

#define JSW_TYPE_SESSION (jsw_session_get_type ())

G_DECLARE_FINAL_TYPE (JswSession, jsw_session, JSW, SESSION, GObject)

JswSession  *jsw_session_new              (GSettings            *settings);
gboolean     jsw_session_restore          (JswSession           *self);
gboolean     jsw_session_get_signed_in    (JswSession           *self);
gboolean     jsw_session_get_connected    (JswSession           *self);
const char  *jsw_session_get_token        (JswSession           *self);
char        *jsw_session_dup_server_url   (JswSession           *self);
char        *jsw_session_dup_device_name  (JswSession           *self);
SoupSession *jsw_session_get_soup_session (JswSession           *self);
void         jsw_session_follow_client    (JswSession           *self,
                                           JswQueueClient       *client);
void         jsw_session_rest_async       (JswSession           *self,
                                           const char           *method,
                                           const char           *path,
                                           const char           *body,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
void         jsw_session_send_async       (JswSession           *self,
                                           const char           *method,
                                           const char           *path,
                                           const char           *content_type,
                                           GBytes               *body,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
JsonNode    *jsw_session_rest_finish      (JswSession           *self,
                                           GAsyncResult         *result,
                                           guint                *status,
                                           GError              **error);
const char  *jsw_session_answer_message   (JsonNode             *answer);
void         jsw_session_sign_in_async    (JswSession           *self,
                                           const char           *server_url,
                                           const char           *email,
                                           const char           *password,
                                           const char           *token,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean     jsw_session_sign_in_finish   (JswSession           *self,
                                           GAsyncResult         *result,
                                           GError              **error);

G_END_DECLS
