// factwiki: the pages work without this; with it the search box suggests.
'use strict';
document.addEventListener('DOMContentLoaded', () => {
  for (const input of document.querySelectorAll('input[data-suggest]')) {
    const list = document.createElement('ul');
    list.className = 'suggest';
    list.hidden = true;
    input.parentNode.appendChild(list);
    let timer = null;
    let asked = '';
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = input.value.trim();
        if (q === asked) return;
        asked = q;
        if (q.length < 2) { list.hidden = true; return; }
        try {
          const res = await fetch(input.dataset.suggest + '?q=' + encodeURIComponent(q));
          if (!res.ok || q !== asked) return;
          const { data } = await res.json();
          list.replaceChildren(...data.map((hit) => {
            const li = document.createElement('li');
            const a = document.createElement('a');
            a.href = hit.href;
            a.textContent = hit.name;
            const kind = document.createElement('small');
            kind.textContent = ' ' + hit.type;
            a.appendChild(kind);
            li.appendChild(a);
            return li;
          }));
          list.hidden = data.length === 0;
        } catch (e) {
          list.hidden = true;
        }
      }, 150);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown' && !list.hidden) {
        e.preventDefault();
        list.querySelector('a')?.focus();
      } else if (e.key === 'Escape') {
        list.hidden = true;
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
        list.hidden = true;
        input.focus();
      }
    });
    document.addEventListener('click', (e) => {
      if (!list.contains(e.target) && e.target !== input) list.hidden = true;
    });
  }
});
