/* jsw-sign-in-page.h: first run, signing this computer in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "jsw-session.h"

G_BEGIN_DECLS

#define JSW_TYPE_SIGN_IN_PAGE (jsw_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (JswSignInPage, jsw_sign_in_page, JSW, SIGN_IN_PAGE, AdwBin)

GtkWidget *jsw_sign_in_page_new (JswSession *session);

G_END_DECLS
