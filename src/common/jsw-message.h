/* jsw-message.h: the stream's frames (PROTOCOL.md, "The stream") encoded and
 * decoded with strict validation
 *
 * The server, the desktop app and the worker all use this one codec, so a
 * frame one of them writes is a frame the others accept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jsw-entry.h"
#include "jsw-types.h"

G_BEGIN_DECLS

#define JSW_TYPE_MESSAGE (jsw_message_get_type ())

/* The largest frame a peer may send (PROTOCOL.md: larger closes with 1009). */
#define JSW_MAX_FRAME_SIZE (256 * 1024)

typedef enum {
  /* client -> server */
  JSW_MESSAGE_HELLO,
  JSW_MESSAGE_CLAIM,
  JSW_MESSAGE_HEARTBEAT,
  JSW_MESSAGE_PROGRESS,
  JSW_MESSAGE_RESULT,
  JSW_MESSAGE_RELEASE,
  /* server -> client */
  JSW_MESSAGE_WELCOME,
  JSW_MESSAGE_ENTRY,
  JSW_MESSAGE_SYNC,
  JSW_MESSAGE_CLAIMED,
  JSW_MESSAGE_ACK,
  JSW_MESSAGE_ERROR,
  JSW_MESSAGE_ACCOUNT,  /* an addition (issue 14): the person's account changed */
} JswMessageType;

/* A decoded frame. String members point into the parsed document and live
 * as long as the message. Only the members of the frame's type are set. */
typedef struct {
  JswMessageType type;

  const char *id;                /* claim, result: the request id */
  const char *re;                /* claimed, ack, error: the request answered */
  const char *device;            /* hello */
  gint64      since;             /* hello */
  gint64      seq;               /* welcome, entry, sync */
  gint64      lease_ttl_s;       /* welcome */
  gint64      heartbeat_s;       /* welcome */
  const char *entry_id;          /* claim, claimed */
  const char *lease;             /* heartbeat, progress, result, release, claimed */
  const char *expires_at;        /* claimed */
  const char *linkedin_send;     /* claimed, a LinkedIn entry (an addition): "automatic" or "review"; else NULL */
  gint64      percent;           /* progress */
  JswStep     step;              /* progress */
  const char *message;           /* progress, error */
  JswOutcome  outcome;           /* result */
  const char *confirmation;      /* result */
  const char *error;             /* result */
  const char *screenshot_sha256; /* result */
  const char *code;              /* error */
  const char *retry_at;          /* error (an addition): when a refused claim may be asked again, RFC 3339; else NULL */
  JswEntry   *entry;             /* entry */
  GPtrArray  *entries;           /* sync: JswEntry */
  JsonObject *account;           /* account: as GET /v1/me */

  /*< private >*/
  JsonNode   *root;
} JswMessage;

GType       jsw_message_get_type        (void) G_GNUC_CONST;
JswMessage *jsw_message_parse           (const char     *text,
                                         gsize           length,
                                         char          **request_id,
                                         GError        **error);
void        jsw_message_free            (JswMessage     *message);
gboolean    jsw_message_type_is_client  (JswMessageType  type);
const char *jsw_message_type_to_string  (JswMessageType  type);

char *jsw_message_build_hello      (const char  *device,
                                    gint64       since);
char *jsw_message_build_claim      (const char  *id,
                                    const char  *entry_id);
char *jsw_message_build_heartbeat  (const char  *lease);
char *jsw_message_build_progress   (const char  *id,
                                    const char  *lease,
                                    gint64       percent,
                                    JswStep      step,
                                    const char  *message);
char *jsw_message_build_result     (const char  *id,
                                    const char  *lease,
                                    JswOutcome   outcome,
                                    const char  *confirmation,
                                    const char  *error,
                                    const char  *screenshot_sha256);
char *jsw_message_build_release    (const char  *lease);
char *jsw_message_build_welcome    (gint64       seq,
                                    gint64       lease_ttl_s,
                                    gint64       heartbeat_s);
char *jsw_message_build_entry      (gint64       seq,
                                    JswEntry    *entry);
char *jsw_message_build_sync       (gint64       seq,
                                    GPtrArray   *entries);
char *jsw_message_build_claimed    (const char  *re,
                                    const char  *entry_id,
                                    const char  *lease,
                                    gint64       expires_at);
char *jsw_message_build_ack        (const char  *re);
char *jsw_message_build_error      (const char  *re,
                                    const char  *code,
                                    const char  *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JswMessage, jsw_message_free)

G_END_DECLS
