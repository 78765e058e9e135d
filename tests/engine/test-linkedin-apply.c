/* test-linkedin-apply.c: the engine on LinkedIn Easy Apply (issue 16)
 *
 * tests/fixtures/linkedin holds cases in the corpus's format
 * (tests/fixtures/corpus/README.md; its README.md lists them): both
 * generations of LinkedIn's Easy Apply modal, every kind of step, LinkedIn's
 * limit and throttle panels, its checkpoint and restricted pages, and the
 * three endings after sending, each with the exact post or the hand-off.
 * They run as the corpus does, one subtest per folder
 * (/engine/linkedin/<case>/desktop: LinkedIn runs only in desktop mode).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define JSW_CORPUS_NAME "linkedin"
#include "test-corpus.c"
