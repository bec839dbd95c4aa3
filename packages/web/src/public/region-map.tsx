/**
 * Choropleth of the regions (OpenStreetMap boundaries, ODbL: the notice is shown under the map). Each region is an
 * SVG link: focusable, opened by Enter or a click, named for screen readers with its figures. Divisions without a
 * shape (stations abroad) are listed beside the map.
 */
import type { ContestOption } from '@canvass/core';
import { geoConicEqualArea, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';
import { z } from 'zod';
import geoUrl from '../../data/kz-regions.geojson?url';
import { electionApi } from '../api/client.js';
import { useLive, useResource } from '../api/live.js';
import { DivisionViewSchema, type ChildView, type ContestWithStatus } from '../api/schemas.js';
import { useElection, type Stage } from '../election-context.js';
import { nameIn, useI18n, type I18n } from '../i18n/i18n.js';
import { keepQuery, resultsPath } from '../paths.js';
import { NO_DATA_COLOR, TURNOUT_COLOR, optionColor, tint } from './colors.js';
import { leaderOf } from './headline.js';
import { withQuery } from './view-controls.js';

const WIDTH = 800;
const HEIGHT = 430;

type Position = [number, number];
const RingSchema = z.array(z.tuple([z.number(), z.number()]));
const ShapesSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ iso: z.string() }),
      geometry: z.discriminatedUnion('type', [
        z.object({ type: z.literal('Polygon'), coordinates: z.array(RingSchema) }),
        z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(RingSchema)) }),
      ]),
    }),
  ),
});

interface Shape {
  readonly iso: string;
  readonly d: string;
}

// RFC 7946 winds outer rings counter-clockwise; d3-geo works on the sphere and wants them clockwise.
const reverseRings = (rings: Position[][]): Position[][] => rings.map((ring) => [...ring].reverse());

let shapes: Promise<Shape[]> | undefined;
function loadShapes(): Promise<Shape[]> {
  shapes ??= fetch(geoUrl)
    .then((response) => response.json())
    .then((json: unknown) => {
      const parsed = ShapesSchema.parse(json);
      const features: Feature<Polygon | MultiPolygon, { iso: string }>[] = parsed.features.map((feature) => ({
        type: 'Feature',
        properties: feature.properties,
        geometry:
          feature.geometry.type === 'Polygon'
            ? { type: 'Polygon', coordinates: reverseRings(feature.geometry.coordinates) }
            : { type: 'MultiPolygon', coordinates: feature.geometry.coordinates.map(reverseRings) },
      }));
      const collection: FeatureCollection<Polygon | MultiPolygon, { iso: string }> = { type: 'FeatureCollection', features };
      const projection = geoConicEqualArea()
        .parallels([44, 52])
        .rotate([-67, 0])
        .fitExtent(
          [
            [4, 4],
            [WIDTH - 4, HEIGHT - 4],
          ],
          collection,
        );
      const path = geoPath(projection).digits(1);
      return features.map((feature) => ({ iso: feature.properties.iso, d: path(feature) ?? '' }));
    });
  return shapes;
}

function useShapes(): Shape[] | undefined {
  const [loaded, setLoaded] = useState<Shape[] | undefined>(undefined);
  useEffect(() => {
    let active = true;
    void loadShapes().then(
      (s) => {
        if (active) setLoaded(s);
      },
      () => {
        if (active) setLoaded([]);
      },
    );
    return () => {
      active = false;
    };
  }, []);
  return loaded;
}

export type Metric = 'leader' | 'turnout';

/**
 * Legend classes: equal steps of a round size (1, 2, 2.5, 5, 10, 20 or 50 points) over the range the regions span,
 * at most seven, so that differences between regions show. Returns the class edges: class i is [edges[i], edges[i+1]).
 */
export function classEdges(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  for (const step of [1, 2, 2.5, 5, 10, 20, 50]) {
    const start = Math.floor(lo / step) * step;
    const count = Math.floor(hi / step) - Math.floor(lo / step) + 1;
    if (count <= 7) return Array.from({ length: count + 1 }, (_, i) => start + step * i);
  }
  return [0, 100];
}

function classOf(edges: readonly number[], value: number): number {
  let i = 0;
  while (i < edges.length - 2 && value >= (edges[i + 1] ?? Infinity)) i++;
  return i;
}

/** Shade of class `i` of `count`: from light to the full colour. */
const shadeOf = (i: number, count: number) => (count <= 1 ? 1 : 0.2 + (0.8 * i) / (count - 1));

const classLabel = ({ f }: I18n, edges: readonly number[], i: number): string =>
  `${f.decimal(String(edges[i] ?? 0))}–${f.percent(String(edges[i + 1] ?? 100))}`;

interface Shading {
  readonly value: number | null;
  readonly leader?: ContestOption | undefined;
  readonly position?: number | undefined;
}

function measure(child: ChildView, contest: ContestWithStatus, metric: Metric): Shading {
  const results = child.results.contests.find((c) => c.contest === contest.contest.id);
  if (!results || results.stations.reported === 0) return { value: null };
  if (metric === 'turnout') return { value: results.turnoutPercent === null ? null : Number(results.turnoutPercent) };
  const leader = leaderOf(results, contest.contest.options);
  if (!leader?.percent) return { value: null };
  return { value: Number(leader.percent), leader: leader.option, position: leader.position };
}

/** The map of the top-level regions, shaded by the leader's share or by turnout; `highlight` marks the region shown. */
export function MapSection({ highlight, stage, contest }: { highlight: string | undefined; stage: Stage; contest: ContestWithStatus }) {
  const i18n = useI18n();
  const { t, lang, f } = i18n;
  const { election, summary } = useElection();
  const live = useLive();
  const { path, query, route } = useLocation();
  const metric: Metric = query['map'] === 'turnout' ? 'turnout' : 'leader';
  const root = useResource(
    `${electionApi(election)}/divisions/${encodeURIComponent(summary.root)}?stage=${stage}`,
    DivisionViewSchema,
    live.results,
  );
  const loaded = useShapes();
  if (!root.data || !loaded) return null;
  const byIso = new Map(loaded.map((s) => [s.iso, s]));
  const shapeOf = (child: ChildView) => {
    const iso = child.externalIds?.['iso3166-2'];
    return iso === undefined ? undefined : byIso.get(iso);
  };
  const children = root.data.children;
  const mapped = children.filter((c) => shapeOf(c) !== undefined);
  if (mapped.length === 0) return null;
  const unmapped = children.filter((c) => shapeOf(c) === undefined);
  // The highlighted region is drawn last, so its outline is not covered by its neighbours.
  mapped.sort((a, b) => Number(a.id === highlight) - Number(b.id === highlight));
  const query0 = keepQuery(query);
  const describe = (child: ChildView): string => {
    const results = child.results.contests.find((c) => c.contest === contest.contest.id);
    const name = nameIn(child.names, lang);
    if (!results || results.stations.reported === 0) return t('map.regionNoData', { name });
    const leader = leaderOf(results, contest.contest.options);
    return t('map.regionLabel', {
      name,
      leader: leader ? nameIn(leader.option.names, lang) : '—',
      share: f.percent(leader?.percent),
      turnout: f.percent(results.turnoutPercent),
      reported: f.int(results.stations.reported),
      total: f.int(results.stations.total),
    });
  };
  const measured = new Map(children.map((c) => [c.id, measure(c, contest, metric)]));
  const edges = classEdges([...measured.values()].flatMap((m) => (m.value === null ? [] : [m.value])));
  const count = Math.max(edges.length - 1, 0);
  const colorOf = (m: Shading) =>
    metric === 'turnout' ? TURNOUT_COLOR : m.leader ? optionColor(m.leader, m.position ?? 0) : NO_DATA_COLOR;
  const fillOf = (id: string) => {
    const m = measured.get(id);
    return !m || m.value === null ? NO_DATA_COLOR : tint(colorOf(m), shadeOf(classOf(edges, m.value), count));
  };
  const leaders = [...new Set([...measured.values()].flatMap((m) => (m.leader ? [m.leader] : [])))];
  const ramps =
    count === 0
      ? []
      : metric === 'turnout'
        ? [{ key: 'turnout', title: t('map.legendTurnout'), color: TURNOUT_COLOR }]
        : leaders.map((option) => ({
            key: option.id,
            title: t('map.legendLeader', { name: nameIn(option.names, lang) }),
            color: optionColor(option, contest.contest.options.indexOf(option)),
          }));
  const follow = (href: string) => (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    route(href);
  };
  return (
    <section aria-labelledby="map-heading" class="panel">
      <h2 id="map-heading">{t('map.heading')}</h2>
      <nav aria-label={t('map.metric')} class="segmented">
        <span class="segmented-label">{t('map.metric')}</span>
        <a href={withQuery(path, query, 'map', undefined)} aria-current={metric === 'leader' ? 'true' : undefined}>
          {t('map.byLeader')}
        </a>
        <a href={withQuery(path, query, 'map', 'turnout')} aria-current={metric === 'turnout' ? 'true' : undefined}>
          {t('map.byTurnout')}
        </a>
      </nav>
      <div class="map-layout">
        <figure class="map">
          <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-labelledby="map-title" class="map-svg">
            <title id="map-title">{metric === 'turnout' ? t('map.titleTurnout') : t('map.titleLeader')}</title>
            {mapped.map((child) => {
              const href = resultsPath(lang, election, child.id, query0);
              return (
                <a key={child.id} href={href} aria-label={describe(child)} onClick={follow(href)} class="map-region">
                  <path d={shapeOf(child)?.d} fill={fillOf(child.id)} class={child.id === highlight ? 'selected' : undefined} />
                </a>
              );
            })}
          </svg>
          <figcaption>
            {ramps.map((ramp) => (
              <div class="legend" key={ramp.key}>
                <p class="legend-title">{ramp.title}</p>
                <ul>
                  {Array.from({ length: count }, (_, i) => (
                    <li key={i}>
                      <span class="legend-swatch" style={{ background: tint(ramp.color, shadeOf(i, count)) }} aria-hidden="true" />
                      {classLabel(i18n, edges, i)}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
            <p class="legend-nodata">
              <span class="legend-swatch" style={{ background: NO_DATA_COLOR }} aria-hidden="true" />
              {t('map.noData')}
            </p>
            <p class="attribution">
              {t('map.dataFrom')}{' '}
              <a href="https://www.openstreetmap.org/copyright" lang="en">
                © OpenStreetMap contributors
              </a>
              {', '}
              {t('map.licence')}{' '}
              <a href="https://opendatacommons.org/licenses/odbl/1-0/" lang="en">
                ODbL 1.0
              </a>
              .
            </p>
          </figcaption>
        </figure>
        {unmapped.length > 0 && (
          <div class="map-side">
            <h3>{t('map.withoutShape')}</h3>
            <ul>
              {unmapped.map((child) => {
                return (
                  <li key={child.id}>
                    <a href={resultsPath(lang, election, child.id, query0)} class="side-card">
                      <span class="legend-swatch" style={{ background: fillOf(child.id) }} aria-hidden="true" />
                      <span>{describe(child)}</span>
                    </a>
                  </li>
                );
              })}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
