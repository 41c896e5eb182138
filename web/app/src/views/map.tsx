// The world map of the home page: each country coloured by how many
// vendors a source says supplied an entity in it, each with vendors a link
// to its page. The shapes are Natural Earth's at 1:110m from the
// world-atlas package, bundled: nothing is fetched when the page is shown.
// Loaded on its own, after the rest of the home page.
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, Geometry } from 'geojson';
import countriesCodes from 'i18n-iso-countries';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { Link } from '../components';
import { countryName } from '../model';
import { entityPath, navigate } from '../router';

interface Count {
  name: string;
  count: number;
}

const topology = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
const shapes = feature(topology, topology.objects.countries).features as Feature<Geometry, { name: string }>[];
const projection = geoNaturalEarth1().fitSize([960, 500], { type: 'FeatureCollection', features: shapes });
const draw = geoPath(projection);

// buckets are the map's colours, by vendor count: none, 1, 2–3, 4–6, 7+.
const buckets: [number, string][] = [
  [7, 'b4'],
  [4, 'b3'],
  [2, 'b2'],
  [1, 'b1'],
];
const bucket = (n: number) => buckets.find(([min]) => n >= min)?.[1] ?? 'b0';

export default function WorldMap({ counts }: { counts: Count[] }) {
  const byCode = new Map(counts.map((c) => [c.name, c.count]));
  return (
    <figure class="world-map">
      <svg viewBox="0 0 960 500" aria-label="World map: countries by the number of vendors reported to have supplied them">
        {shapes.map((f, i) => {
          const code = countriesCodes.numericToAlpha2(String(f.id ?? '')) ?? '';
          const n = byCode.get(code) ?? 0;
          const d = draw(f) ?? '';
          if (!code || n === 0) {
            return <path key={i} d={d} class="land b0" onClick={() => code && navigate(entityPath('country:' + code))} />;
          }
          const label = `${countryName(code)}: ${n} ${n === 1 ? 'vendor' : 'vendors'}`;
          return (
            <a key={i} href={entityPath('country:' + code)} data-country={code} aria-label={label} onClick={(e) => { e.preventDefault(); navigate(entityPath('country:' + code)); }}>
              <title>{label}</title>
              <path d={d} class={`land ${bucket(n)}`} />
            </a>
          );
        })}
      </svg>
      <figcaption>
        <ul class="map-legend">
          <li>
            <span class="swatch-map b1" aria-hidden="true" /> 1 vendor
          </li>
          <li>
            <span class="swatch-map b2" aria-hidden="true" /> 2–3
          </li>
          <li>
            <span class="swatch-map b3" aria-hidden="true" /> 4–6
          </li>
          <li>
            <span class="swatch-map b4" aria-hidden="true" /> 7 or more
          </li>
        </ul>
        <p class="muted">
          Most vendors:{' '}
          {counts.slice(0, 8).map((c, i) => (
            <span key={c.name}>
              {i > 0 && ', '}
              <Link href={entityPath('country:' + c.name)}>{countryName(c.name)}</Link> ({c.count})
            </span>
          ))}
        </p>
      </figcaption>
    </figure>
  );
}
