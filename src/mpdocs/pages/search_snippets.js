// mpdocs: a search result's snippet comes from the page's own text, not from its breadcrumbs,
// its title (the result's link shows it), its download note or its list of lesson cards.
(function () {
  if (typeof Search === "undefined" || !Search.htmlToText) return;
  const furniture = [
    ".bd-breadcrumbs",
    "h1",
    ".sphx-glr-download-link-note",
    ".sphx-glr-thumbnails",
    ".mpdocs-lesson-cards",
    ".mpdocs-section-title",
  ].join(", ");
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(furniture).forEach((element) => element.remove());
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
})();
