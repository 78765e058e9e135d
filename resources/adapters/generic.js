// generic.js: any other application form, read by its labels, names,
// placeholders and ARIA attributes (everything lives in the runtime's parts).
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.register({
  name: 'generic',
  detect: () => true,
});
