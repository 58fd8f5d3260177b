"""What a search of incidents found: a page of it, how many there are, and the facets beside it.

One object per search decides, once, between an exact count and an estimate from the sample:

- the search over the estimation sample (`IncidentQuerySet.in_sample()`) is read first; its
  rows, times SAMPLE_SHARE, estimate the size;
- far above `core.counting.EXACT_COUNT_LIMIT`, the estimate is the size, and the facets count
  the sample's rows, scaled up and shown as "about";
- otherwise the search itself is read up to one row past the limit: when it fits, that is the
  exact size, and the same rows feed the facets, so the search runs once for both.
"""

from functools import cached_property

from core.counting import BoundedPaginator, ResultSize, size_of

from .facets import (
    Counted,
    CountryBuckets,
    FirstRowsOf,
    SampleOf,
    facets_for,
    place_counts,
    region_buckets,
    region_tree,
    type_buckets,
)
from .querysets import SAMPLE_SHARE


class SearchResults:
    def __init__(self, incidents, sample):
        """`incidents`: the search; `sample`: the same search over the sample incidents."""
        self.incidents = incidents
        self.sample_rows = SampleOf(sample)
        self.first_rows = FirstRowsOf(incidents)

    @classmethod
    def of_filterset(cls, filterset) -> "SearchResults":
        """The results of a valid FilterSet, its filters applied to the sample too."""
        return cls(filterset.qs, filterset.filter_queryset(filterset.queryset.in_sample()))

    @classmethod
    def of(cls, incidents) -> "SearchResults":
        return cls(incidents, incidents.in_sample())

    @cached_property
    def size(self) -> ResultSize:
        return size_of(self.incidents, estimate=self.sample_rows.estimate, count_rows=lambda: self.first_rows.count)

    def paginator(self, per_page: int) -> BoundedPaginator:
        return BoundedPaginator(self.incidents, per_page, size=self.size)

    @cached_property
    def counted(self) -> Counted:
        """What the facets count: the rows read to count the results exactly, or the sample's."""
        if self.size.exact:
            return Counted(self.incidents, rows=self.first_rows)
        return Counted(self.sample_rows.incidents, SAMPLE_SHARE, self.sample_rows)

    def facets(self, cleaned: dict, incident_types=None) -> dict:
        """The four facets of the search page; `cleaned` is the FilterSet form's cleaned data."""
        return facets_for(self.counted, cleaned, incident_types)

    def subregions(self, region):
        return region_buckets(self.counted, [region])

    def region_tree(self) -> list[CountryBuckets]:
        """The countries of the results and their regions, with counts: the regions page, the region picker."""
        return region_tree(self.counted)

    def place_counts(self):
        """The results inside each place, by place id; estimated when `size` is."""
        return place_counts(self.counted)

    def types(self, incident_types=None):
        return type_buckets(self.counted, incident_types)
