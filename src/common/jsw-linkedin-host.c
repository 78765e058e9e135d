/* jsw-linkedin-host.c: which hosts are LinkedIn's (issue 16)
 *
 * linkedin.com carries the postings and Easy Apply; lnkd.in is LinkedIn's
 * own link shortener, whose links redirect to linkedin.com (postings shared
 * from LinkedIn are often lnkd.in links). Other LinkedIn-owned names are
 * left out on purpose: linkedin.cn served LinkedIn's China site, closed in
 * 2023 and never a job posting we could route; licdn.com is LinkedIn's
 * static content host, never a posting, and a page that only shows a
 * LinkedIn logo must not be refused for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "jsw-linkedin-host.h"

static const char *const linkedin_domains[] = { "linkedin.com", "lnkd.in" };

/* Whether @host is @domain or a name under it. */
static gboolean
is_in_domain (const char *host,
              const char *domain)
{
  gsize host_len = strlen (host);
  gsize domain_len = strlen (domain);

  if (host_len == domain_len)
    return g_str_equal (host, domain);
  return host_len > domain_len && host[host_len - domain_len - 1] == '.' && g_str_has_suffix (host, domain);
}

/**
 * jsw_linkedin_host_is_linkedin:
 * @host: (nullable): a URL's host, any case, with or without the root's
 *   trailing dot
 *
 * Returns: whether @host is linkedin.com, lnkd.in or a name under either
 */
gboolean
jsw_linkedin_host_is_linkedin (const char *host)
{
  g_autofree char *name = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  name = g_ascii_strdown (host, -1);
  if (g_str_has_suffix (name, "."))
    name[strlen (name) - 1] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (linkedin_domains); i++)
    if (is_in_domain (name, linkedin_domains[i]))
      return TRUE;
  return FALSE;
}
