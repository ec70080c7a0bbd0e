/**
 * The one catalog of views (GUIDE §5, after vitessce): the dock layout, the View menu and the
 * command palette all read it. Each view is code-split (`lazy`) and declares which parts of the
 * store it subscribes to, so a change elsewhere never re-renders it.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/** Props every view receives from the dock layout. */
export interface ViewProps {
  /** Unique id of this view instance (a type may be open twice). */
  viewId: string;
}

export interface ViewCatalogEntry {
  /** `WaveformView`, … — also the `data-view` attribute and the golden-layout component type. */
  type: string;
  title: string;
  component: LazyExoticComponent<ComponentType<ViewProps>>;
  /** Store keys the view reads (documentation and the help overlay; selectors enforce it). */
  subscribes: string[];
}

type ViewModule = Record<string, unknown>;

/** Lazily imports a view module whose component is the default export or named like the view. */
function lazyView(load: () => Promise<ViewModule>, name: string): LazyExoticComponent<ComponentType<ViewProps>> {
  return lazy(async () => {
    const m = await load();
    const component = (m.default ?? m[name]) as ComponentType<ViewProps> | undefined;
    if (!component) throw new Error(`${name}: the module exports no component named ${name}`);
    return { default: component };
  });
}

export const VIEW_CATALOG: ViewCatalogEntry[] = [
  {
    type: 'ClusterView',
    title: 'ClusterView',
    component: lazyView(() => import('./ClusterView/ClusterView'), 'ClusterView'),
    subscribes: ['clusters', 'selection', 'sort', 'filter', 'session.labelColumns'],
  },
  {
    type: 'SimilarityView',
    title: 'SimilarityView',
    component: lazyView(() => import('./SimilarityView/SimilarityView'), 'SimilarityView'),
    subscribes: ['similar', 'clusters', 'selection'],
  },
  {
    type: 'WaveformView',
    title: 'WaveformView',
    component: lazyView(() => import('./WaveformView/WaveformView'), 'WaveformView'),
    subscribes: ['selection', 'dataset', 'generation', 'rawFilter', 'viewSettings.WaveformView'],
  },
  {
    type: 'FeatureView',
    title: 'FeatureView',
    component: lazyView(() => import('./FeatureView/FeatureView'), 'FeatureView'),
    subscribes: ['selection', 'dataset', 'generation', 'lasso', 'viewSettings.FeatureView'],
  },
  {
    type: 'AmplitudeView',
    title: 'AmplitudeView',
    component: lazyView(() => import('./AmplitudeView/AmplitudeView'), 'AmplitudeView'),
    subscribes: ['selection', 'dataset', 'generation', 'traceTime', 'lasso', 'viewSettings.AmplitudeView'],
  },
  {
    type: 'CorrelogramView',
    title: 'CorrelogramView',
    component: lazyView(() => import('./CorrelogramView/CorrelogramView'), 'CorrelogramView'),
    subscribes: ['selection', 'dataset', 'generation', 'viewSettings.CorrelogramView'],
  },
  {
    type: 'TraceView',
    title: 'TraceView',
    component: lazyView(() => import('./TraceView/TraceView'), 'TraceView'),
    subscribes: ['selection', 'dataset', 'generation', 'rawFilter', 'traceTime', 'viewSettings.TraceView'],
  },
  {
    type: 'ProbeView',
    title: 'ProbeView',
    component: lazyView(() => import('./ProbeView/ProbeView'), 'ProbeView'),
    subscribes: ['selection', 'dataset', 'generation'],
  },
  {
    type: 'RasterView',
    title: 'RasterView',
    component: lazyView(() => import('./RasterView/RasterView'), 'RasterView'),
    subscribes: ['clusters', 'sort', 'filter', 'selection', 'dataset', 'generation'],
  },
  {
    type: 'DriftView',
    title: 'DriftView',
    component: lazyView(() => import('./DriftView/DriftView'), 'DriftView'),
    subscribes: ['selection', 'dataset', 'generation'],
  },
  {
    type: 'TemplateView',
    title: 'TemplateView',
    component: lazyView(() => import('./TemplateView/TemplateView'), 'TemplateView'),
    subscribes: ['clusters', 'sort', 'filter', 'selection', 'dataset', 'generation'],
  },
  {
    type: 'ISIView',
    title: 'ISIView',
    component: lazyView(() => import('./ISIView/ISIView'), 'ISIView'),
    subscribes: ['selection', 'dataset', 'generation', 'viewSettings.ISIView'],
  },
  {
    type: 'FiringRateView',
    title: 'FiringRateView',
    component: lazyView(() => import('./FiringRateView/FiringRateView'), 'FiringRateView'),
    subscribes: ['selection', 'dataset', 'generation', 'viewSettings.FiringRateView'],
  },
  {
    type: 'ClusterScatterView',
    title: 'ClusterScatterView',
    component: lazyView(() => import('./ClusterScatterView/ClusterScatterView'), 'ClusterScatterView'),
    subscribes: ['clusters', 'sort', 'filter', 'selection'],
  },
  {
    type: 'SuggestionsView',
    title: 'SuggestionsView',
    component: lazyView(() => import('./SuggestionsView/SuggestionsView'), 'SuggestionsView'),
    subscribes: ['review', 'generation'],
  },
  {
    type: 'MetricsView',
    title: 'MetricsView',
    component: lazyView(() => import('./MetricsView/MetricsView'), 'MetricsView'),
    subscribes: ['clusters', 'selection', 'session.labelColumns', 'quality', 'viewSettings.MetricsView'],
  },
  {
    type: 'SpikeAttributeView',
    title: 'SpikeAttributeView',
    component: lazyView(() => import('./SpikeAttributeView/SpikeAttributeView'), 'SpikeAttributeView'),
    subscribes: ['selection', 'dataset', 'generation', 'lasso'],
  },
];

/** Catalog entry of a view type. */
export function viewEntry(type: string): ViewCatalogEntry | undefined {
  return VIEW_CATALOG.find((v) => v.type === type);
}
