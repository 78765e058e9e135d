/* jsw-common.h: everything libjobswipe-common offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "jsw-entry.h"
#include "jsw-error.h"
#include "jsw-job.h"
#include "jsw-json.h"
#include "jsw-message.h"
#include "jsw-profile.h"
#include "jsw-time.h"
#include "jsw-types.h"
