/* soak-client.h: the soak's scripted desktop client (soak-client.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int jsw_soak_run_desktop_client (const char *ws_url,
                                 const char *token);

G_END_DECLS
