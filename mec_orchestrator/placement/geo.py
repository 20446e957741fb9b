#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""Geometry of the placement areas: circles and polygons on the sphere.

Coordinates are WGS 84 degrees. A polygon may cross the antimeridian: its
longitudes are unwrapped to a continuous range once, when it is built, and
a point is tested at its longitude and at that longitude plus or minus 360.
"""

import math

#: Mean Earth radius in metres (IUGG).
EARTH_RADIUS_M = 6371008.8


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between two points.

    :param lat1: latitude of the first point, degrees.
    :param lon1: longitude of the first point, degrees.
    :param lat2: latitude of the second point, degrees.
    :param lon2: longitude of the second point, degrees.
    :returns: the distance in metres.
    """
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = (math.sin(dp / 2) ** 2 +
         math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2)
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _point(value):
    """(lat, lon) of ``{latitude, longitude}`` or of a [lat, lon] pair."""
    if isinstance(value, dict):
        lat, lon = value['latitude'], value['longitude']
    else:
        lat, lon = value[0], value[1]
    lat, lon = float(lat), float(lon)
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError('coordinates out of range: %s, %s' % (lat, lon))
    return lat, lon


class Circle(object):
    """The points within ``radius`` metres of a centre."""

    __slots__ = ('lat', 'lon', 'radius', '_dlat')

    def __init__(self, center, radius):
        self.lat, self.lon = _point(center)
        self.radius = float(radius)
        if self.radius < 0:
            raise ValueError('negative radius')
        # Latitude margin of the cheap pre-check, in degrees.
        self._dlat = math.degrees(self.radius / EARTH_RADIUS_M)

    def contains(self, lat, lon):
        """Whether the point is in the circle (its border included).

        :param lat: latitude in degrees.
        :param lon: longitude in degrees.
        :returns: a bool.
        """
        if abs(lat - self.lat) > self._dlat:
            return False
        return haversine_m(self.lat, self.lon, lat, lon) <= self.radius

    def describe(self):
        return ('within %g m of (%g, %g)'
                % (self.radius, self.lat, self.lon))


class Polygon(object):
    """A simple polygon whose edges are straight in latitude/longitude.

    An edge whose longitudes differ by more than 180 degrees is taken to
    cross the antimeridian (the short way round), so that a polygon from
    longitude 170 to -170 covers the 20 degrees around 180, not the 340
    degrees around 0.
    """

    __slots__ = ('lats', 'lons', 'min_lat', 'max_lat', 'min_lon',
                 'max_lon', 'crosses')

    def __init__(self, points):
        pts = [_point(p) for p in points]
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        if len(pts) < 3:
            raise ValueError('a polygon needs at least 3 points')
        lats = [p[0] for p in pts]
        lons = [pts[0][1]]
        for _lat, lon in pts[1:]:
            prev = lons[-1]
            while lon - prev > 180.0:
                lon -= 360.0
            while prev - lon > 180.0:
                lon += 360.0
            lons.append(lon)
        self.lats = tuple(lats)
        self.lons = tuple(lons)
        self.min_lat, self.max_lat = min(lats), max(lats)
        self.min_lon, self.max_lon = min(lons), max(lons)
        self.crosses = self.min_lon < -180.0 or self.max_lon > 180.0

    def _inside(self, lat, lon):
        if not (self.min_lon <= lon <= self.max_lon):
            return False
        inside = False
        lats, lons = self.lats, self.lons
        j = len(lats) - 1
        for i in range(len(lats)):
            yi, xi, yj, xj = lats[i], lons[i], lats[j], lons[j]
            if (yi > lat) != (yj > lat):
                if lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    inside = not inside
            j = i
        return inside

    def contains(self, lat, lon):
        """Whether the point is inside the polygon.

        :param lat: latitude in degrees.
        :param lon: longitude in degrees, -180 to 180.
        :returns: a bool.
        """
        if not (self.min_lat <= lat <= self.max_lat):
            return False
        if self._inside(lat, lon):
            return True
        if self.crosses:
            return (self._inside(lat, lon + 360.0) or
                    self._inside(lat, lon - 360.0))
        return False

    def describe(self):
        return 'inside a polygon of %d points' % len(self.lats)


def area(value):
    """The area of a request: a :class:`Circle` or a :class:`Polygon`.

    :param value: ``{'circle': {'center': {latitude, longitude},
        'radius': metres}}``, ``{'polygon': [{latitude, longitude}...]}``,
        or a bare polygon list.
    :returns: a Circle, a Polygon, or None when value is empty.
    :raises: ValueError when the area is malformed.
    """
    if not value:
        return None
    if isinstance(value, (list, tuple)):
        return Polygon(value)
    if not isinstance(value, dict):
        raise ValueError('an area is an object or a list of points')
    if 'circle' in value:
        circle = value['circle']
        return Circle(circle['center'], circle['radius'])
    if 'polygon' in value:
        return Polygon(value['polygon'])
    if 'center' in value and 'radius' in value:
        return Circle(value['center'], value['radius'])
    raise ValueError('an area has a circle or a polygon')
