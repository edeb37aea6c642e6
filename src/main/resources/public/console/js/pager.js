// A list that loads page by page: the first page at once, then "Load more" while next_cursor is set.
import { api, query } from './api.js';
import { h, icon, mount } from './dom.js';
import { busy, errorBox } from './ui.js';

/**
 * pager({path, params, limit, signal, onRows(rows, first)}) → {element, load()}: element holds the
 * "Load more" button and the count; load() fetches the first page (and resolves with its rows).
 */
export function pager({ path, params = {}, limit = 50, signal, onRows, noun = 'items' }) {
  let cursor = null;
  let total = 0;
  const el = h('div', { class: 'pager', hidden: true });

  async function fetchPage(first) {
    const page = await api(path + query({ ...params, limit, cursor: first ? null : cursor }), { signal });
    cursor = page.next_cursor;
    total = first ? page.data.length : total + page.data.length;
    onRows(page.data, first);
    render();
    return page.data;
  }

  function render() {
    el.hidden = !cursor && total <= limit;
    const more = h('button', { class: 'btn sm', type: 'button', 'data-testid': 'load-more' }, 'Load more');
    more.addEventListener('click', () => busy(more, 'Loading…', () => fetchPage(false).catch((e) => {
      if (e.name !== 'AbortError') mount(el, errorBox(e, () => render()));
    })));
    mount(el, h('span', { class: 'count' }, `${total} ${noun}${cursor ? ' so far' : ''}`),
      cursor ? more : h('span', { class: 'faint' }, icon('check', 'sm'), ' All loaded'));
  }

  return { element: el, load: () => fetchPage(true) };
}
