// The parts of Apache ECharts that the compare page (web/compare.js) uses:
// a bar chart and a line chart on a grid, with tooltip, legend and title,
// drawn with the SVG renderer. Anything else the page asks for fails loudly
// in the browser console ("Component ... not exists"), so add it here.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, TooltipComponent, LegendComponent, TitleComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent, SVGRenderer]);

window.echarts = echarts;
