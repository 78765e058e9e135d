/* jsw-rest.h: what every REST handler is given, and how it answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "jsw-admin-sessions.h"
#include "jsw-feed-syncer.h"
#include "jsw-hub.h"
#include "jsw-login-limiter.h"
#include "jsw-metrics.h"
#include "jsw-server-config.h"
#include "jsw-store.h"
#include "jsw-stripe.h"
#include "jsw-vault.h"

G_BEGIN_DECLS

/* The server's parts a handler may use; owned by the server. */
typedef struct {
  JswStore              *store;
  JswHub                *hub;
  JswMetrics            *metrics;
  JswLoginLimiter       *login_limiter;
  const JswServerConfig *config;
  JswFeedSyncer         *syncer;   /* (nullable): for its counters in /metrics */
  JswStripe             *stripe;
  JswAdminSessions      *admin_sessions;
  JswVault              *vault;   /* NULL: no profile key, no profiles kept */
  GBytes                *cursor_key;  /* (nullable): read at the first feed page (jsw-feed-cursor.c) */
} JswRestContext;

/* Who may call an endpoint. */
typedef enum {
  JSW_REST_OPEN,       /* anyone: no token is read */
  JSW_REST_ANY_TOKEN,  /* a device's or a worker's token */
  JSW_REST_USER,       /* a user's device token (a worker's is refused) */
} JswRestAccess;

typedef struct {
  SoupServerMessage  *msg;
  const char         *method;
  char              **segments;    /* the decoded path split at "/": "/v1/queue/ID" is {"v1", "queue", "ID"} */
  guint               n_segments;
  GHashTable         *query;       /* (nullable) */
  JswAuth            *auth;        /* NULL for JSW_REST_OPEN */
} JswRestRequest;

typedef void (*JswRestHandler) (JswRestContext *rest,
                                JswRestRequest *request);

/* One line of the routing table (jsw-server.c). */
typedef struct {
  const char     *method;   /* NULL: any; the handler answers a wrong one */
  const char     *path;     /* "/v1/queue/ *" (no space): "*" matches any one segment */
  JswRestAccess   access;
  JswRestHandler  handler;
} JswRestRoute;

/* The request's correlation id (a string), set on every message. */
#define JSW_REST_CID_KEY "jsw-request-cid"

gint64      jsw_rest_now              (void);
JsonObject *jsw_rest_parse_body       (SoupServerMessage  *msg,
                                       JsonNode          **root,
                                       GError            **error);
void        jsw_rest_reply_json       (SoupServerMessage  *msg,
                                       guint               status,
                                       JsonNode           *node);
void        jsw_rest_reply_text       (SoupServerMessage  *msg,
                                       guint               status,
                                       const char         *content_type,
                                       char               *body);
void        jsw_rest_reply_entry      (SoupServerMessage  *msg,
                                       guint               status,
                                       JswEntry           *entry);
void        jsw_rest_prepare_unreadable_answer (SoupServerMessage *msg);
void        jsw_rest_forget_unreadable_answer  (SoupServerMessage *msg);
char       *jsw_rest_repeated_parameter        (SoupServerMessage *msg);
void        jsw_rest_reply_error_code (SoupServerMessage  *msg,
                                       JswErrorCode        code,
                                       const char         *message);
void        jsw_rest_reply_error      (SoupServerMessage  *msg,
                                       const GError       *error);
char       *jsw_rest_client_address   (SoupServerMessage  *msg);
void        jsw_rest_set_retry_after  (SoupServerMessage  *msg,
                                       gint64              wait_usec);

G_END_DECLS
