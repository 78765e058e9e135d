// ashby.js: Ashby (jobs.ashbyhq.com/<company>/<id>/application): a React
// form of .ashby-application-form-field-entry blocks with
// _systemfield_name/_systemfield_email inputs, yes/no questions as pairs
// of toggle buttons, and a success container after submitting.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

JobSwipe.register({
  name: 'ashby',
  embedPattern: /jobs\.ashbyhq\.com\/.+\/application|ashby_embed/,

  detect() {
    return /(^|\.)ashbyhq\.com$/.test(location.hostname)
      || !!document.querySelector('.ashby-application-form-container, [name="_systemfield_email"], #ashby_embed');
  },

  root() {
    return document.querySelector('.ashby-application-form-container form, form.ashby-application-form, .ashby-application-form-container')
      || null;
  },

  resumeInput(root) {
    return root.querySelector('input[type="file"][id="_systemfield_resume"], input[type="file"][name="_systemfield_resume"]');
  },

  // Yes/No questions are two buttons under a label, not inputs.
  extraQuestions(root) {
    const questions = [];
    for (const entry of root.querySelectorAll('.ashby-application-form-field-entry')) {
      const buttons = [...entry.querySelectorAll('button[type="button"]')].filter((b) => /^(yes|no)$/i.test(JobSwipe.util.textOf(b)));
      if (buttons.length < 2) continue;
      const title = entry.querySelector('.ashby-application-form-question-title, label');
      const label = JobSwipe.util.textOf(title);
      questions.push({
        kind: 'toggle', label, els: buttons,
        required: /\*$/.test(label) || !!entry.querySelector('[class*="required"]'),
      });
    }
    return questions;
  },

  submitButton(root) {
    return root.querySelector('.ashby-application-form-submit-button, button[type="submit"]');
  },

  confirmation() {
    const box = document.querySelector('.ashby-application-form-success-container');
    return box && JobSwipe.util.isVisible(box) ? JobSwipe.util.textOf(box.querySelector('h2, h1, p') || box) : null;
  },

  errors() {
    return [...document.querySelectorAll('.ashby-application-form-field-entry [class*="error"], ._error_, [role="alert"]')]
      .filter(JobSwipe.util.isVisible).map(JobSwipe.util.textOf).filter(Boolean);
  },
});
