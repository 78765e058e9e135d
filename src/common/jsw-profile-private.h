/* jsw-profile-private.h: what the profile (jsw-profile.c) shares with
 * its list of fields and their checks (jsw-profile-fields.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-profile.h"

G_BEGIN_DECLS

/* The longest text a member may hold, in bytes. */
#define JSW_PROFILE_MAX_TEXT (64 * 1024)

/* How many top-level members PROFILE.json has: the size of
 * _jsw_profile_fields, checked where it is defined (a different count
 * there is a conflicting declaration). */
#define JSW_PROFILE_N_FIELDS 17

/* The members of PROFILE.json, in the order the profile editor shows
 * them; a property of JswProfile is numbered by its index + 1. */
extern const JswProfileField _jsw_profile_fields[JSW_PROFILE_N_FIELDS];

G_END_DECLS
