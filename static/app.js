// factwiki: the pages work without this; with it the search boxes suggest
// places, variables and sources as one types (GET /api/v1/search).
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  let boxes = 0;
  for (const input of document.querySelectorAll('input[data-suggest]')) {
    const list = document.createElement('ul');
    list.className = 'suggest';
    list.id = `suggest-${boxes++}`;
    list.hidden = true;
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Suggestions');
    input.parentNode.appendChild(list);
    // The ARIA 1.2 combobox: a text box that controls a list of options.
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    const show = (on) => {
      list.hidden = !on;
      input.setAttribute('aria-expanded', on ? 'true' : 'false');
    };
    let timer = null;
    let asked = '';
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = input.value.trim();
        if (q === asked) return;
        asked = q;
        if (q.length < 2) { show(false); return; }
        try {
          const res = await fetch(input.dataset.suggest + '?q=' + encodeURIComponent(q));
          if (!res.ok || q !== asked) return;
          const { data } = await res.json();
          list.replaceChildren(...data.map((hit) => {
            const li = document.createElement('li');
            li.setAttribute('role', 'option');
            const a = document.createElement('a');
            a.href = hit.href;
            a.textContent = hit.name;
            const kind = document.createElement('small');
            kind.textContent = ' ' + hit.type;
            a.appendChild(kind);
            li.appendChild(a);
            return li;
          }));
          show(data.length > 0);
        } catch (e) {
          show(false);
        }
      }, 150);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && !list.hidden) {
        e.preventDefault();
        list.querySelector('a')?.focus();
      } else if (e.key === 'Escape') {
        show(false);
      }
    });
    list.addEventListener('keydown', (e) => {
      const here = document.activeElement.parentNode;
      if (e.key === 'ArrowDown' && here.nextSibling) {
        e.preventDefault();
        here.nextSibling.firstChild.focus();
      } else if (e.key === 'ArrowUp') {
        e.preventDefault();
        (here.previousSibling ? here.previousSibling.firstChild : input).focus();
      } else if (e.key === 'Escape') {
        show(false);
        input.focus();
      }
    });
    document.addEventListener('click', (e) => {
      if (!list.contains(e.target) && e.target !== input) show(false);
    });
  }
});
