/* mpdocs: split Chinese queries into the words of the search index.
 *
 * Sphinx splits a query only at spaces and punctuation, so 使用进程池 stays one
 * word and finds nothing, and 共享内存SharedMemory is one word too. Here a query
 * (full-width letters and spaces made ordinary ones) is first cut where Han
 * characters meet other letters; then each run of Han
 * characters that no indexed word contains is split from left to right,
 * taking at each point the longest of:
 *   - a query stopword (如何, 使用, ...), which is dropped;
 *   - a word the index knows (what jieba produced when the site was built);
 *   - a function character (的, 了, 用, ...), which is dropped.
 * If some character fits none of them, the query holds a word this site never
 * uses: the whole run is kept as one term, which finds nothing, rather than
 * matching pages on a fragment of it (数据库 is not 数据).
 * Overrides splitQuery() of searchtools.js, which defines it only if absent. */
var splitQuery = (query) => {
  const index = typeof Search !== "undefined" ? Search._index : null;
  const known = (word) =>
    index !== null && (Object.hasOwn(index.terms, word) || Object.hasOwn(index.titleterms, word));
  // jieba indexes a page's 共享内存块 as that one word: a reader's 共享内存 is inside it.
  const inside = (word) =>
    index !== null &&
    [index.terms, index.titleterms].some((map) => Object.keys(map).some((term) => term.includes(word)));
  const stopword = (word) => typeof stopwords !== "undefined" && stopwords.has(word);
  const functionCharacters = "的了和与及或在是把被用将对从中里个吗呢吧啊也都就还又";
  const splitHan = (run) => {
    const words = [];
    for (let i = 0; i < run.length; ) {
      let length = 0;
      for (let j = run.length; j > i + 1 && !length; j--) {
        const word = run.slice(i, j);
        if (stopword(word)) length = -(j - i);
        else if (known(word)) length = j - i;
      }
      if (length > 0) words.push(run.slice(i, i + length));
      else if (length === 0 && !functionCharacters.includes(run[i])) return [run];
      i += Math.abs(length) || 1;
    }
    return words;
  };
  // NFKC: a Chinese input method in full-width mode types ｆｏｒｋｓｅｒｖｅｒ and a full-width space.
  return query
    .normalize("NFKC")
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .filter((token) => token)
    .flatMap((token) =>
      (token.match(/\p{Script=Han}+|\P{Script=Han}+/gu) || []).flatMap((run) =>
        /\p{Script=Han}/u.test(run) && !inside(run) ? splitHan(run) : [run],
      ),
    );
};

/* The search itself, for queries with Chinese words:
 * - a Chinese word finds the pages of every indexed word that contains it
 *   (共享内存 finds the pages indexed with 共享内存块), as an English word finds
 *   its stem; searchtools.js looks inside longer words only when no page at
 *   all holds the word itself;
 * - searchtools.js lets a page match when it holds only the query's longer
 *   terms, so a two-character Chinese word would be optional: every Chinese
 *   word of the query must be on the page, as every English word must. */
if (typeof Search !== "undefined") {
  const upstreamTermsSearch = Search.performTermsSearch;
  const isHan = (word) => /\p{Script=Han}/u.test(word);
  const holds = (map, word, file) => {
    const files = Object.hasOwn(map, word) ? map[word] : undefined;
    return files === file || (Array.isArray(files) && files.includes(file));
  };
  Search.performTermsSearch = (searchTerms, excludedTerms) => {
    const index = Search._index;
    const han = [...searchTerms].filter(isHan);
    if (han.length === 0) return upstreamTermsSearch(searchTerms, excludedTerms);
    const widen = (map) => {
      const widened = { ...map };
      for (const word of han) {
        const files = new Set();
        for (const [term, found] of Object.entries(map)) {
          if (term.includes(word)) [found].flat().forEach((file) => files.add(file));
        }
        if (files.size > 0) widened[word] = [...files];
      }
      return widened;
    };
    const terms = widen(index.terms);
    const titleterms = widen(index.titleterms);
    let results;
    Search._index = { ...index, terms, titleterms };
    try {
      results = upstreamTermsSearch(searchTerms, excludedTerms);
    } finally {
      Search._index = index;
    }
    return results.filter((result) => {
      const file = index.docnames.indexOf(result[0]);
      return han.every((word) => holds(terms, word, file) || holds(titleterms, word, file));
    });
  };
}
