// greenhouse.js: Greenhouse, both the classic board (boards.greenhouse.io,
// <form id="application_form">, job_application[...] names, a
// #submit_app button) and the React board (job-boards.greenhouse.io,
// plain ids such as #first_name, react-select comboboxes), also when a
// company serves it on its own domain or embeds it in a frame.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.register({
  name: 'greenhouse',
  embedPattern: /greenhouse\.io\/(embed\/)?job_app|boards\.greenhouse\.io\/embed/,

  detect() {
    return /(^|\.)greenhouse\.io$/.test(location.hostname)
      || !!document.querySelector('#application_form [name^="job_application["], #grnhse_app, form#application-form[action*="greenhouse"], .application--form [id^="question_"], link[href*="greenhouse.io"]')
      || !!document.querySelector('meta[content*="greenhouse"], link[href*="greenhouse.io"]') && !!document.querySelector('#first_name');
  },

  // A company page that embeds the board: its iframe holds the form.
  frameUrl() {
    const frame = document.querySelector('#grnhse_app iframe, iframe#grnhse_iframe, iframe[src*="greenhouse.io"]');
    return frame && !document.querySelector('#application_form, #first_name') ? frame.src : null;
  },

  root() {
    return document.querySelector('#application_form, form.application--form, #application form, form');
  },

  resumeInput(root) {
    return root.querySelector('#resume, input[type="file"][name="job_application[resume]"], #resume_fieldset input[type="file"], input[type="file"][id*="resume"]');
  },

  submitButton(root) {
    return document.querySelector('#submit_app, button[type="submit"].btn--pill, #application_form button[type="submit"]')
      || [...root.querySelectorAll('button[type="submit"], input[type="submit"]')].find((b) => JobSwipe.util.isVisible(b)) || null;
  },

  confirmation() {
    const box = document.querySelector('#application_confirmation, .application-confirmation, [data-testid="application-confirmation"]');
    if (box && JobSwipe.util.isVisible(box)) return JobSwipe.util.textOf(box.querySelector('h1, h2, p') || box);
    return null;
  },

  errors() {
    return [...document.querySelectorAll('#error_flash, .field-error-msg, .error-message, .helper-text--error, [aria-invalid="true"] + .error')]
      .filter(JobSwipe.util.isVisible).map(JobSwipe.util.textOf).filter(Boolean);
  },
});
