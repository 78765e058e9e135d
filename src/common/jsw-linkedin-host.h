/* jsw-linkedin-host.h: which hosts are LinkedIn's (issue 16)
 *
 * One rule for the server (a LinkedIn posting runs only on the person's
 * desktop) and the worker's guard (the worker never opens LinkedIn, not
 * even through a redirect).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean jsw_linkedin_host_is_linkedin (const char *host);

G_END_DECLS
