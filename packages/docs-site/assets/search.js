// Client-side search: loads the MiniSearch index the build wrote and lists the best sections as you type.
// Plain JavaScript with no build step; MiniSearch comes from minisearch.js, loaded before this file.
(function () {
  const input = document.getElementById('search-input');
  const results = document.getElementById('search-results');
  if (!input || !results) return;
  const root = document.querySelector('meta[name="site-root"]').getAttribute('content');
  let loaded;

  function loadIndex() {
    loaded ??= fetch(`${root}search-index.json`)
      .then((response) => response.text())
      .then((text) => {
        const { options, index } = JSON.parse(text);
        return window.MiniSearch.loadJS(index, options);
      });
    return loaded;
  }

  function show(hits, query) {
    results.replaceChildren();
    if (query !== '' && hits.length === 0) {
      const empty = document.createElement('li');
      empty.textContent = `Nothing found for "${query}".`;
      results.append(empty);
      return;
    }
    for (const hit of hits.slice(0, 8)) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = root + hit.url;
      link.textContent = hit.heading || hit.page;
      const where = document.createElement('small');
      where.textContent = hit.page;
      link.append(where);
      item.append(link);
      results.append(item);
    }
  }

  input.addEventListener('focus', () => void loadIndex());
  input.addEventListener('input', async () => {
    const query = input.value.trim();
    if (query === '') return show([], '');
    const index = await loadIndex();
    show(index.search(query, { prefix: true, fuzzy: 0.2, boost: { heading: 2, page: 1.5 } }), query);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      input.value = '';
      show([], '');
    }
  });
})();
