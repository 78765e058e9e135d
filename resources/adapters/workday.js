// workday.js: Workday (<tenant>.wd<N>.myworkdayjobs.com): a wizard of
// pages whose fields carry data-automation-id attributes
// (legalNameSection_firstName, email, phone-number,
// file-upload-input-ref), moved through with bottom-navigation-next-button
// and finished with bottom-navigation-submit... or behind a sign-in page,
// which is the person's to pass.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.register({
  name: 'workday',
  embedPattern: /myworkdayjobs\.com/,

  detect() {
    return /myworkdayjobs\.com$|(^|\.)workday\.com$/.test(location.hostname)
      || !!document.querySelector('[data-automation-id="applyFlowPage"], [data-automation-id="bottom-navigation-next-button"], [data-automation-id="legalNameSection_firstName"]');
  },

  root() {
    return document.querySelector('[data-automation-id="applyFlowPage"]') || document.querySelector('form') || null;
  },

  resumeInput(root) {
    return root.querySelector('input[data-automation-id="file-upload-input-ref"]');
  },

  nextButton() {
    const button = document.querySelector('[data-automation-id="bottom-navigation-next-button"]');
    return button && JobSwipe.util.isVisible(button) && !/submit/i.test(button.innerText) ? button : null;
  },

  submitButton() {
    const next = document.querySelector('[data-automation-id="bottom-navigation-next-button"]');
    if (next && /submit/i.test(next.innerText) && JobSwipe.util.isVisible(next)) return next;
    return document.querySelector('[data-automation-id="bottom-navigation-submit-button"]');
  },

  confirmation() {
    const box = document.querySelector('[data-automation-id="applicationSubmittedMessage"], [data-automation-id="congratulationsPopup"]');
    return box && JobSwipe.util.isVisible(box) ? JobSwipe.util.textOf(box) : null;
  },

  errors() {
    return [...document.querySelectorAll('[data-automation-id="errorMessage"], [data-automation-id="inputAlert"]')]
      .filter(JobSwipe.util.isVisible).map(JobSwipe.util.textOf).filter(Boolean);
  },
});
