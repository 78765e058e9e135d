// linkedin.js: LinkedIn Easy Apply (issue 16), in the person's own signed-in
// desktop session only.
//
// Easy Apply is a modal wizard (contact info, a city typeahead, the resume
// among those on the account or an upload, screening questions, work
// authorization, voluntary self-identification, review) opened by the job
// page's "Easy Apply" button. LinkedIn serves two generations of it at once:
// the classic modal in the page (jobs-easy-apply-modal, fb-dash-form-element)
// and a newer one inside the open shadow root of #interop-outlet whose class
// names are hashes that change with each release. So nothing here selects by
// a generated class name: the modal is the dialog named "Apply to …", buttons
// are found by their accessible names and words, fields by their labels and
// legends (runtime.js), and ids only by their stable parts.
//
// What this adapter never does: sign in (the person's own session is used),
// get past a security check, a captcha or a limit (LinkedIn's own panels
// stop the run and say so, and the server pauses LinkedIn: docs/server.md),
// or send on its own: the engine stops on the review step unless the
// person opted in (docs/engine.md "LinkedIn Easy Apply").
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

(() => {
  const { normalise, isVisible, textOf, deepAll, click } = JobSwipe.util;

  const isLinkedinHost = () => /(^|\.)linkedin\.com$/.test(location.hostname);

  function accessibleName(el) {
    return normalise(el.getAttribute('aria-label') || el.innerText || el.textContent || '');
  }

  function buttons(root) {
    return deepAll(root || document, 'button, [role="button"], a[role="link"], button[role="link"]').filter(isVisible);
  }

  // The Easy Apply dialog (either generation), but not the panels LinkedIn
  // shows in its place (the daily limit, the fast-pace throttle) nor the
  // one after sending.
  function dialogs() {
    return deepAll(document, '[role="dialog"], [role="alertdialog"]').filter(isVisible);
  }

  function titleOf(dialog) {
    const ids = (dialog.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    const root = dialog.getRootNode();
    const titled = ids.map((id) => (root.getElementById ? root.getElementById(id) : document.getElementById(id))).filter(Boolean);
    return normalise(titled.map(textOf).join(' ') || dialog.getAttribute('aria-label') || '');
  }

  function easyApplyModal() {
    return dialogs().find((d) => /^apply to /.test(titleOf(d)) && deepAll(d, 'form, input, select, textarea, button').length > 0) || null;
  }

  // LinkedIn's own words for its stops, as blocker codes (jsw-blocker.c
  // turns them into the person's words).
  const STOPS = [
    ['linkedin_daily_limit', /reached the (easy apply )?(application )?limit for today|limit daily submissions|try applying tomorrow/],
    ['linkedin_throttled', /applying (to jobs )?(at a fast pace|too (fast|quickly))|limited how often you can apply/],
    ['linkedin_restricted', /account (has been |is )?(temporarily )?restricted|restricted your account/],
    ['linkedin_checkpoint', /quick security check|security verification|verify (that )?you re (a human|not a robot)|let s do a quick security check/],
  ];

  function pageText() {
    // Text inside open shadow roots too (the newer generation).
    const parts = [document.body ? document.body.innerText : ''];
    for (const host of deepAll(document, '*')) if (host.shadowRoot) parts.push(host.shadowRoot.textContent || '');
    return normalise(parts.join(' '));
  }

  // A posting that cannot be applied to here: closed, already applied to,
  // or applied to on the employer's site.
  function postingStops() {
    if (easyApplyModal()) return [];
    const text = pageText();
    if (/no longer accepting applications/.test(text)) return [{ code: 'linkedin_closed' }];
    if (/\bapplied (\d+|a|an) (second|minute|hour|day|week|month)s? ago\b|\bapplication submitted\b/.test(text) && !easyApplyButton()) {
      return [{ code: 'linkedin_already_applied' }];
    }
    if (!easyApplyButton() && buttons().some((b) => /on (the )?company (website|site)/.test(accessibleName(b)))) {
      return [{ code: 'linkedin_external' }];
    }
    return [];
  }

  function easyApplyButton() {
    if (easyApplyModal()) return null;
    return buttons().find((b) => /^easy apply\b/.test(accessibleName(b)) || normalise(b.innerText) === 'easy apply') || null;
  }

  function footerButton(pattern) {
    const modal = easyApplyModal();
    return modal ? buttons(modal).find((b) => pattern.test(accessibleName(b)) || pattern.test(normalise(b.innerText))) || null : null;
  }

  // The resume cards: a radio per file already on the account, named by
  // its file name.
  function resumeCards(root) {
    return deepAll(root, 'input[type="radio"]').filter((r) => /select resume|jobsdocumentcardtoggle/i.test(`${r.getAttribute('aria-label') || ''} ${r.name}`));
  }

  // What the error under a field says, with the field's name, so that the
  // person is told which one LinkedIn refused: "Mobile phone number: Please
  // enter a valid answer".
  function fieldErrors() {
    const modal = easyApplyModal();
    if (!modal) return [];
    return deepAll(modal, '[class*="inline-feedback--error"], [data-error-for], [id$="-error"], [role="alert"]')
      .filter((e) => isVisible(e) && textOf(e))
      .map((e) => {
        const block = e.closest('fieldset, [class*="form-element"]') || e.parentElement;
        const question = block && (block.querySelector('legend') || block.querySelector('label'));
        const name = question ? textOf(question) : '';
        return name ? `${name}: ${textOf(e)}` : textOf(e);
      });
  }

  JobSwipe.register({
    name: 'linkedin',
    embedPattern: /linkedin\.com\/jobs/,

    detect() {
      return isLinkedinHost() || !!document.querySelector('meta[property="og:site_name"][content="LinkedIn"]')
        || !!easyApplyModal() || !!document.querySelector('#interop-outlet, .jobs-easy-apply-modal');
    },

    root() {
      return easyApplyModal();
    },

    // The posting's "Easy Apply" button, while the modal is closed.
    applyButton() {
      return easyApplyButton();
    },

    nextButton() {
      return footerButton(/^(continue to next step|next|review your application|review)$/);
    },

    submitButton() {
      return footerButton(/^submit application$/);
    },

    resumeInput(root) {
      return deepAll(root, 'input[type="file"]').find((i) => /resume|cv|upload/i.test(`${i.id} ${i.name} ${i.getAttribute('aria-label') || ''}`)
        || /resume/i.test(accessibleName(i.parentElement || i))) || null;
    },

    // The resume already on the account with the profile's file name is
    // chosen rather than uploaded again. Returns its label, or null.
    chooseResume(root, name) {
      const card = resumeCards(root).find((r) => normalise(r.getAttribute('aria-label') || '').endsWith(normalise(name)));
      if (!card) return null;
      if (!card.checked) click(card.labels && card.labels[0] ? card.labels[0] : card);
      return card.checked ? 'Resume' : null;
    },

    // LinkedIn's stops and a posting that cannot be applied to, as blockers.
    blockers() {
      const text = pageText();
      if (/\/checkpoint\//.test(location.pathname)) return [{ code: 'linkedin_checkpoint' }];
      const stop = STOPS.find(([, pattern]) => pattern.test(text));
      return stop ? [{ code: stop[0] }] : postingStops();
    },

    // "Application sent" / "Your application was sent to …": LinkedIn's
    // own confirmation, the only one that counts.
    confirmation() {
      for (const d of dialogs()) {
        const words = normalise(textOf(d));
        if (/^application sent\b/.test(titleOf(d)) || /your application was sent to/.test(words)) {
          const line = deepAll(d, 'p, h2, h3').map(textOf).find((t) => /sent to/i.test(t));
          return line || textOf(d);
        }
      }
      return null;
    },

    errors() {
      const toasts = deepAll(document, '[role="alert"]').filter((e) => isVisible(e) && !easyApplyModal()?.contains(e)).map(textOf);
      return [...fieldErrors(), ...toasts].filter(Boolean);
    },
  });
})();
