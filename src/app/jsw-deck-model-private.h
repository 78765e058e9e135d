/* jsw-deck-model-private.h: what the deck's model (jsw-deck-model.c)
 * shares with its outbox of swipes and undos (jsw-deck-model-outbox.c)
 * and its feed, paged and cached (jsw-deck-model-feed.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-deck-model.h"

G_BEGIN_DECLS

/* Fewer postings than this left: the next page is asked for. */
#define PRELOAD_BELOW    8
#define PAGE_SIZE        20
/* At most this many postings are kept in the cache for offline use. */
#define CACHED_POSTINGS  60
/* A failed send is tried again after this, and whenever the stream
 * reconnects. */
#define RETRY_SECONDS    5
/* How long a swipe can be undone (its toast's time, AdwToast's timeout). */
#define UNDO_SECONDS     10

#define META_OUTBOX   "deck.outbox"
#define META_POSTINGS "deck.postings"

typedef enum {
  REQUEST_SWIPE,
  REQUEST_UNDO,
} RequestKind;

/* One request of the outbox. A swipe's record is also what undo works on. */
typedef struct {
  RequestKind  kind;
  char        *key;          /* Idempotency-Key */
  char        *method;
  char        *path;
  char        *body;         /* nullable */
  char        *posting_id;
  gboolean     right;
  JsonObject  *posting;      /* a swipe's posting, put back on undo or refusal */
  char        *entry_id;     /* a sent right swipe's entry */
  gboolean     sent;
  gboolean     undone;       /* undo asked while the swipe was in flight */
  gint64       made_at;      /* monotonic, µs */
} Request;

struct _JswDeckModel
{
  GObject       parent_instance;

  JswSession   *session;
  JswCache     *cache;
  GCancellable *cancellable;

  GPtrArray    *postings;    /* JsonObject, the front first */
  GHashTable   *swiped;      /* posting ids swiped here, not to be shown again */
  char         *cursor;
  gboolean      exhausted;   /* the feed's last page was read */
  gboolean      loading;
  gboolean      offline;

  GQueue        outbox;      /* Request, oldest first */
  Request      *in_flight;
  GPtrArray    *history;     /* swipes that can still be undone, newest last */
  guint         retry_id;
  guint         save_id;     /* the postings' save, soon */

  JswDeckWhere  where;
};

/* Called with the status (0: the server was not reached) and the answer's
 * JSON (nullable). */
typedef void (*JswDeckAnswerFunc) (JswDeckModel *self,
                                   guint         status,
                                   JsonNode     *answer,
                                   gpointer      data);

/* jsw-deck-model.c */
void        _jsw_deck_model_call               (JswDeckModel      *self,
                                                const char        *method,
                                                const char        *path,
                                                const char        *body,
                                                const char        *key,
                                                JswDeckAnswerFunc  func,
                                                gpointer           data);
gboolean    _jsw_deck_model_is_transient       (guint              status);
void        _jsw_deck_model_retry_later        (JswDeckModel      *self);
void        _jsw_deck_model_set_offline        (JswDeckModel      *self,
                                                gboolean           offline);
JsonArray  *_jsw_deck_model_load_meta_array    (JswDeckModel      *self,
                                                const char        *key);
void        _jsw_deck_model_emit_changed       (JswDeckModel      *self);
void        _jsw_deck_model_emit_refused       (JswDeckModel      *self,
                                                JsonObject        *posting,
                                                guint              status,
                                                const char        *message,
                                                JsonObject        *duplicate_of);
void        _jsw_deck_model_notify_n_waiting   (JswDeckModel      *self);
void        _jsw_deck_model_set_where          (JswDeckModel      *self,
                                                JswDeckWhere       where);

/* jsw-deck-model-outbox.c */
void        _jsw_deck_request_unref            (Request           *request);
void        _jsw_deck_model_restore_outbox     (JswDeckModel      *self);
void        _jsw_deck_model_send_next          (JswDeckModel      *self);

/* jsw-deck-model-feed.c */
void        _jsw_deck_model_restore_postings   (JswDeckModel      *self);
void        _jsw_deck_model_save_postings      (JswDeckModel      *self);
void        _jsw_deck_model_write_postings     (JswDeckModel      *self);
void        _jsw_deck_model_load_more          (JswDeckModel      *self);
void        _jsw_deck_model_load_where         (JswDeckModel      *self);

G_END_DECLS
