/* jsw-login-limiter.c
 *
 * Failures are counted per e-mail address (a targeted guess) and per client
 * address (a spray over many accounts, allowed four times as many). Within
 * the window, once either count reaches its limit, every attempt is refused
 * with 429 before a password is even checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "jsw-login-limiter.h"

typedef struct {
  guint  failures;
  gint64 window_start;
} Bucket;

struct _JswLoginLimiter
{
  GObject     parent_instance;

  guint       max_failures;
  gint64      window;
  GHashTable *buckets;  /* "e:<email>" or "a:<address>" -> Bucket */
};

G_DEFINE_FINAL_TYPE (JswLoginLimiter, jsw_login_limiter, G_TYPE_OBJECT)

static char *
email_key (const char *email)
{
  g_autofree char *folded = g_utf8_casefold (email, -1);

  return g_strconcat ("e:", folded, NULL);
}

static gint64
bucket_retry_after (JswLoginLimiter *self,
                    const char      *key,
                    guint            limit,
                    gint64           now)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket == NULL || now - bucket->window_start >= self->window)
    return 0;
  if (bucket->failures < limit)
    return 0;
  return bucket->window_start + self->window - now;
}

/* Returns 0 when an attempt may proceed, else how long (µs) to wait. */
gint64
jsw_login_limiter_retry_after (JswLoginLimiter *self,
                               const char      *email,
                               const char      *address,
                               gint64           now)
{
  g_autofree char *ekey = email_key (email);
  g_autofree char *akey = g_strconcat ("a:", address ? address : "", NULL);

  return MAX (bucket_retry_after (self, ekey, self->max_failures, now),
              bucket_retry_after (self, akey, self->max_failures * 4, now));
}

static void
bucket_fail (JswLoginLimiter *self,
             char            *key,
             gint64           now)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      g_hash_table_insert (self->buckets, key, bucket);
    }
  else
    g_free (key);

  if (now - bucket->window_start >= self->window)
    {
      bucket->window_start = now;
      bucket->failures = 0;
    }
  bucket->failures++;
}

static void
forget_stale_buckets (JswLoginLimiter *self,
                      gint64           now)
{
  GHashTableIter iter;
  Bucket *bucket;

  /* Keeps memory bounded under a spray of made-up addresses. */
  if (g_hash_table_size (self->buckets) < 10000)
    return;
  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    if (now - bucket->window_start >= self->window)
      g_hash_table_iter_remove (&iter);
}

void
jsw_login_limiter_record_failure (JswLoginLimiter *self,
                                  const char      *email,
                                  const char      *address,
                                  gint64           now)
{
  forget_stale_buckets (self, now);
  bucket_fail (self, email_key (email), now);
  bucket_fail (self, g_strconcat ("a:", address ? address : "", NULL), now);
}

void
jsw_login_limiter_record_success (JswLoginLimiter *self,
                                  const char      *email)
{
  g_autofree char *key = email_key (email);

  g_hash_table_remove (self->buckets, key);
}

static void
jsw_login_limiter_finalize (GObject *object)
{
  JswLoginLimiter *self = (JswLoginLimiter *) object;

  g_clear_pointer (&self->buckets, g_hash_table_unref);
  G_OBJECT_CLASS (jsw_login_limiter_parent_class)->finalize (object);
}

static void
jsw_login_limiter_class_init (JswLoginLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = jsw_login_limiter_finalize;
}

static void
jsw_login_limiter_init (JswLoginLimiter *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

JswLoginLimiter *
jsw_login_limiter_new (guint  max_failures,
                       gint64 window_usec)
{
  JswLoginLimiter *self = g_object_new (JSW_TYPE_LOGIN_LIMITER, NULL);

  self->max_failures = max_failures;
  self->window = window_usec;
  return self;
}
