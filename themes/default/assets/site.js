/* global window, document */
/*
 * Jiyue default theme: progressive enhancement only. Nothing here is needed to read or navigate
 * a page; without JavaScript the print buttons stay hidden (Ctrl+P prints, the print stylesheet
 * applies either way), the search boxes are plain GET forms and the question field is sent with
 * its button.
 */
(function () {
  'use strict';
  var hant = document.documentElement.lang === 'zh-Hant';

  var buttons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () {
      window.print();
    });
  }

  var submit = function (form) {
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  };

  /*
   * Search suggestions as one types (ARIA 1.2 combobox with a listbox popup): Down/Up move
   * through them, Enter takes the one chosen (a hot query is searched, a title opened), Escape
   * closes the list and keeps the text; without a chosen suggestion Enter sends the form.
   */
  var boxes = document.querySelectorAll('form[role="search"] input[name="q"]');
  for (var b = 0; b < boxes.length; b++) if (window.fetch && boxes[b].id) suggestions(boxes[b]);

  function suggestions(input) {
    var form = input.form;
    var list = document.createElement('ul');
    var status = document.createElement('p');
    var items = [];
    var current = -1;
    var timer = 0;
    var seq = 0;
    var composing = false;

    list.id = input.id + '-suggestions';
    list.className = 'search-suggestions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', hant ? '搜索建議' : '搜索建议');
    list.hidden = true;
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);
    form.classList.add('has-suggestions');
    form.appendChild(list);
    form.appendChild(status);

    function site() {
      var f = form.elements.namedItem('site');
      return f && f.value ? f.value : '';
    }

    function close() {
      list.hidden = true;
      current = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    function open() {
      if (items.length === 0) return;
      list.style.left = input.offsetLeft + 'px';
      list.style.width = Math.max(input.offsetWidth, 240) + 'px';
      list.style.top = input.offsetTop + input.offsetHeight + 'px';
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function highlight(n) {
      var options = list.children;
      for (var k = 0; k < options.length; k++) options[k].setAttribute('aria-selected', k === n ? 'true' : 'false');
      current = n;
      if (n < 0) input.removeAttribute('aria-activedescendant');
      else {
        input.setAttribute('aria-activedescendant', options[n].id);
        if (options[n].scrollIntoView) options[n].scrollIntoView({ block: 'nearest' });
      }
    }

    function choose(n) {
      var it = items[n];
      if (!it) return;
      close();
      if (it.url) {
        window.location.href = it.url;
        return;
      }
      input.value = it.text;
      submit(form);
    }

    function show(found) {
      items = found;
      while (list.firstChild) list.removeChild(list.firstChild);
      for (var k = 0; k < items.length; k++) {
        var li = document.createElement('li');
        li.id = list.id + '-' + k;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.className = items[k].kind === 'hot' ? 'is-hot' : 'is-title';
        if (items[k].kind === 'hot') {
          var kind = document.createElement('span');
          kind.className = 'search-suggest-kind';
          kind.textContent = hant ? '熱門' : '热门';
          li.appendChild(kind);
        }
        li.appendChild(document.createTextNode(items[k].text));
        li.setAttribute('data-n', String(k));
        list.appendChild(li);
      }
      current = -1;
      input.removeAttribute('aria-activedescendant');
      if (items.length === 0) {
        close();
        status.textContent = '';
        return;
      }
      open();
      status.textContent = hant ? items.length + ' 條建議，按上下方向鍵選擇' : items.length + ' 条建议，按上下方向键选择';
    }

    function load() {
      var q = input.value.replace(/\s+/g, ' ').trim();
      var mine = ++seq;
      if (!q || q.length > 100) {
        show([]);
        return;
      }
      var url = (hant ? '/zh-hant/search/suggest' : '/api/v1/search/suggest') + '?q=' + encodeURIComponent(q) + (site() ? '&site=' + encodeURIComponent(site()) : '');
      window
        .fetch(url, { headers: { accept: 'application/json' }, credentials: 'omit' })
        .then(function (r) {
          return r.ok ? r.json() : { items: [] };
        })
        .then(function (body) {
          if (mine === seq && document.activeElement === input) show((body && body.items) || []);
        })
        .catch(function () {
          if (mine === seq) show([]);
        });
    }

    input.addEventListener('compositionstart', function () {
      composing = true;
    });
    input.addEventListener('compositionend', function () {
      composing = false;
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 150);
    });
    input.addEventListener('input', function () {
      if (composing) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 150);
    });
    input.addEventListener('keydown', function (e) {
      if (e.isComposing || e.keyCode === 229) return;
      var isOpen = !list.hidden;
      if (e.key === 'ArrowDown' || e.key === 'Down') {
        e.preventDefault();
        if (!isOpen) open();
        if (items.length) highlight(current + 1 >= items.length ? 0 : current + 1);
      } else if (e.key === 'ArrowUp' || e.key === 'Up') {
        if (!isOpen) return;
        e.preventDefault();
        highlight(current <= 0 ? items.length - 1 : current - 1);
      } else if (e.key === 'Enter') {
        if (isOpen && current >= 0) {
          e.preventDefault();
          choose(current);
        } else close();
      } else if (e.key === 'Escape' || e.key === 'Esc') {
        if (isOpen) {
          e.preventDefault();
          close();
        }
      } else if (e.key === 'Tab') close();
    });
    input.addEventListener('blur', function () {
      close();
    });
    // A pointer press keeps the focus in the box (no blur before the click lands).
    list.addEventListener('mousedown', function (e) {
      e.preventDefault();
    });
    list.addEventListener('click', function (e) {
      var li = e.target && e.target.closest ? e.target.closest('[role="option"]') : null;
      if (li) choose(Number(li.getAttribute('data-n')));
    });
  }

  /* The question field of 智能问答: Enter asks (Shift+Enter is a new line; not while an IME composes). */
  var questions = document.querySelectorAll('textarea[data-enter-submits]');
  for (var q = 0; q < questions.length; q++) {
    var hint = document.getElementById(questions[q].getAttribute('data-enter-submits'));
    if (hint) hint.hidden = false;
    questions[q].addEventListener('keydown', function (e) {
      if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      if (this.value.trim() !== '') submit(this.form);
    });
  }
})();
