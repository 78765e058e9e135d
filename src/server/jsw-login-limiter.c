/* jsw-login-limiter.c
 *
 * Failures are counted per e-mail address (a targeted guess) and per client
 * address (a spray over many accounts, allowed four times as many). An
 * attempt counts as a failure from the moment it is let through until its
 * password turns out right. Within the window, once either count reaches its
 * limit, every attempt is refused with 429 before a password is checked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "jsw-login-limiter"

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

static char *
address_key (const char *address)
{
  return g_strconcat ("a:", address ? address : "", NULL);
}

static Bucket *
current_bucket (JswLoginLimiter *self,
                const char      *key,
                gint64           now)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->window_start = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  else if (now - bucket->window_start >= self->window)
    {
      bucket->window_start = now;
      bucket->failures = 0;
    }
  return bucket;
}

static gint64
retry_after (JswLoginLimiter *self,
             Bucket          *bucket,
             guint            limit,
             gint64           now)
{
  if (bucket->failures < limit)
    return 0;
  return bucket->window_start + self->window - now;
}

static void
give_back (JswLoginLimiter *self,
           const char      *key)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket != NULL && bucket->failures > 0)
    bucket->failures--;
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

/**
 * jsw_login_limiter_try_begin:
 * @email: the e-mail address tried (compared case-folded)
 * @address: the client's IP address
 * @now: wall-clock time, µs
 *
 * Counts a sign-in attempt as failed *before* its password is checked, so
 * that attempts checked at the same time cannot all slip under the limit
 * (issue 8: 50 simultaneous guesses were all checked). Check and count
 * happen in one call on the main loop, which nothing else runs on. The
 * caller then reports jsw_login_limiter_succeeded() or
 * jsw_login_limiter_abandoned(); a wrong password needs no report.
 *
 * Returns: 0 when the attempt may go on (it is counted), else how long to
 *   wait in µs (nothing counted)
 */
gint64
jsw_login_limiter_try_begin (JswLoginLimiter *self,
                             const char      *email,
                             const char      *address,
                             gint64           now)
{
  g_autofree char *ekey = email_key (email);
  g_autofree char *akey = address_key (address);
  Bucket *by_email;
  Bucket *by_address;
  gint64 wait;

  forget_stale_buckets (self, now);
  by_email = current_bucket (self, ekey, now);
  by_address = current_bucket (self, akey, now);
  wait = MAX (retry_after (self, by_email, self->max_failures, now),
              retry_after (self, by_address, self->max_failures * 4, now));
  if (wait > 0)
    return wait;

  by_email->failures++;
  by_address->failures++;
  return 0;
}

/* The password was right: the e-mail's failures are forgotten, and the
 * client address gets back the attempt counted for it. */
void
jsw_login_limiter_succeeded (JswLoginLimiter *self,
                             const char      *email,
                             const char      *address)
{
  g_autofree char *ekey = email_key (email);
  g_autofree char *akey = address_key (address);

  g_hash_table_remove (self->buckets, ekey);
  give_back (self, akey);
}

/* No password was checked (the server failed): the attempt is given back. */
void
jsw_login_limiter_abandoned (JswLoginLimiter *self,
                             const char      *email,
                             const char      *address)
{
  g_autofree char *ekey = email_key (email);
  g_autofree char *akey = address_key (address);

  give_back (self, ekey);
  give_back (self, akey);
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
