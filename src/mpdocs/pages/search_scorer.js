// mpdocs: search results that lead with the pages a query names (html_search_scorer).
// Sphinx's own weights, with matches in titles worth more; then a page whose title holds
// every word of the query comes first, the page itself before its sections.
var Scorer = {
  score: (result) => {
    const [, title, anchor, , score] = result;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const words = query.toLowerCase().split(/\s+/).filter((word) => word);
    const heading = (title || "").toLowerCase();
    let bonus = 0;
    if (words.length && words.every((word) => heading.includes(word))) bonus += 30;
    if (!anchor) bonus += 5;
    return score + bonus;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 30,
  partialTitle: 12,
  term: 5,
  partialTerm: 2,
};
