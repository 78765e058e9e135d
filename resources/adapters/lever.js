// lever.js: Lever (jobs.lever.co/<company>/<id>/apply): <form
// id="application-form">, a single "name" field, urls[LinkedIn] and kin,
// custom question cards (cards[<id>][fieldN]) in .application-question,
// eeo[...] selects, #btn-submit, and the "thanks" page.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.register({
  name: 'lever',
  embedPattern: /jobs\.lever\.co\/.+\/apply/,

  detect() {
    return /(^|\.)lever\.co$/.test(location.hostname)
      || !!document.querySelector('form#application-form .application-question, #btn-submit.template-btn-submit, .lever-job-title');
  },

  root() {
    return document.querySelector('form#application-form, form.application-form') || null;
  },

  resumeInput(root) {
    return root.querySelector('#resume-upload-input, input[type="file"][name="resume"]');
  },

  submitButton(root) {
    return root.querySelector('#btn-submit, button.template-btn-submit, button[type="submit"]');
  },

  confirmation() {
    const box = document.querySelector('.application-confirmation, [data-qa="msg-submit-success"], .posting-thanks');
    if (box && JobSwipe.util.isVisible(box)) return JobSwipe.util.textOf(box.querySelector('h1, h2, h3, p') || box);
    return null;
  },

  errors() {
    return [...document.querySelectorAll('.application-error, .error-message, [data-qa="msg-submit-error"]')]
      .filter(JobSwipe.util.isVisible).map(JobSwipe.util.textOf).filter(Boolean);
  },
});
