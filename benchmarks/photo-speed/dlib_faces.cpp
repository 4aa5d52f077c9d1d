// The dlib baseline of benchmarks/photo-speed/run.sh: every distinct photo of a photo CSV (first column 'image', paths
// relative to the CSV) through dlib's HOG frontal face detector on the photo upsampled once (as Python's
// detector(image, 1)), then dlib's 68-point shape predictor on every detection, one photo at a time on one thread. Writes
// one CSV row per face (image, face, left, top, width, height, x0, y0, ..., x67, y67 in photo pixels) and prints one
// line: "dlib: N photos, F faces, S s (P photos/s, after L s loading the predictor)".
//
// usage: dlib_faces PHOTOS.csv SHAPE_PREDICTOR.dat OUT.csv
// build: g++ -O3 -mavx -DNDEBUG dlib_faces.cpp $(pkg-config --cflags --libs dlib-1) (run.sh does; Debian's libdlib-dev)
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

namespace {

// The distinct images of the CSV, in order of first appearance, as paths relative to the CSV.
std::vector<std::string> distinct_images(const std::string& csv_path) {
    std::ifstream csv(csv_path);
    if (!csv) throw std::runtime_error("cannot read photo CSV '" + csv_path + "'");
    std::string line;
    std::getline(csv, line);
    if (line.rfind("image", 0) != 0)
        throw std::runtime_error("photo CSV '" + csv_path + "' does not start with an 'image' column");
    std::vector<std::string> images;
    std::set<std::string> seen;
    while (std::getline(csv, line)) {
        std::string image = line.substr(0, line.find(','));
        if (!image.empty() && seen.insert(image).second) images.push_back(image);
    }
    return images;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: dlib_faces PHOTOS.csv SHAPE_PREDICTOR.dat OUT.csv\n";
        return 2;
    }
    try {
        const std::string csv_path = argv[1];
        const std::string folder = csv_path.find('/') == std::string::npos
            ? std::string(".") : csv_path.substr(0, csv_path.rfind('/'));
        auto load_start = std::chrono::steady_clock::now();
        dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
        dlib::shape_predictor predictor;
        dlib::deserialize(argv[2]) >> predictor;
        double loading = seconds_since(load_start);

        auto images = distinct_images(csv_path);
        std::ofstream out(argv[3]);
        out << "image,face,left,top,width,height";
        for (int k = 0; k < 68; k++) out << ",x" << k << ",y" << k;
        out << "\n";
        size_t faces = 0;
        dlib::pyramid_down<2> pyramid;
        auto start = std::chrono::steady_clock::now();
        for (const auto& image : images) {
            dlib::array2d<dlib::rgb_pixel> photo, upsampled;
            dlib::load_image(photo, folder + "/" + image);
            dlib::pyramid_up(photo, upsampled, pyramid);
            std::vector<dlib::rectangle> found = detector(upsampled);
            for (size_t f = 0; f < found.size(); f++) {
                dlib::rectangle box = pyramid.rect_down(found[f]);
                dlib::full_object_detection shape = predictor(photo, box);
                out << image << ',' << f << ',' << box.left() << ',' << box.top() << ',' << box.width() << ','
                    << box.height();
                for (unsigned long k = 0; k < shape.num_parts(); k++)
                    out << ',' << shape.part(k).x() << ',' << shape.part(k).y();
                out << "\n";
            }
            faces += found.size();
        }
        double elapsed = seconds_since(start);
        std::cout << "dlib: " << images.size() << " photos, " << faces << " faces, " << elapsed << " s ("
                  << images.size() / elapsed << " photos/s, after " << loading << " s loading the predictor)\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
